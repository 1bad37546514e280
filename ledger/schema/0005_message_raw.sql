-- vvgintake ledger, schema version 5: a message keeps its own raw bytes.
--
-- Raw messages went into blobs, content-addressed by SHA-256 like the
-- web form's uploads. But a message's raw bytes are never shared (the same
-- bytes again are the same message, found by messages.raw_sha256), so the
-- digest-keyed rows cost without sparing anything: every message wrote a
-- blobs row and one entry in each of two indexes keyed by a random digest
-- (blobs and blob_chunks), and such an insert dirties a different index
-- page each time, each copied through the WAL and checkpointed again.
-- From now on the raw bytes go into message_raw, at most 256 KiB a row,
-- keyed by the message's row and appended in order. Raw messages stored
-- before stay in blobs and blob_chunks; nothing is moved.
--
-- messages.raw_sha256 referenced blobs(sha256), which SQLite cannot drop
-- from a column, so messages is rebuilt under its own name as blobs was in
-- version 2: the foreign-key checks wait for the commit, by when the
-- re-inserted rows have answered every reference to them.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE messages_v4 AS SELECT * FROM messages;
DROP TABLE messages;
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    source          TEXT NOT NULL CHECK (source IN ('imap', 'import')),
    account         TEXT NOT NULL DEFAULT '',
    folder          TEXT NOT NULL DEFAULT '',
    uidvalidity     INTEGER,
    uid             INTEGER,
    file            TEXT NOT NULL DEFAULT '',
    internal_date   TEXT NOT NULL,
    size            INTEGER NOT NULL,
    truncated       INTEGER NOT NULL DEFAULT 0,
    raw_sha256      TEXT NOT NULL,
    content_key     TEXT NOT NULL,
    message_id      TEXT NOT NULL DEFAULT '',
    from_addr       TEXT NOT NULL DEFAULT '',
    from_name       TEXT NOT NULL DEFAULT '',
    reply_to        TEXT NOT NULL DEFAULT '',
    subject         TEXT,
    in_reply_to     TEXT NOT NULL DEFAULT '',
    refs            TEXT NOT NULL DEFAULT '',
    date_header     TEXT,
    text            TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT 'lt',
    defects         TEXT NOT NULL DEFAULT '',
    disposition     TEXT NOT NULL CHECK (disposition IN ('suggestion', 'reply', 'auto-reply',
                        'bounce', 'list', 'spam', 'own', 'malformed')),
    reason          TEXT NOT NULL DEFAULT '',
    route           TEXT NOT NULL DEFAULT ''
                    CHECK (route IN ('', 'routed', 'late', 'unrouted', 'out-of-window')),
    consultation_id INTEGER REFERENCES consultations(id),
    submission_id   INTEGER REFERENCES submissions(id),
    -- Another delivery of the same content (an alias, a resent copy): it
    -- joins the original's case and is never acknowledged again.
    duplicate_of    INTEGER REFERENCES messages(id),
    ack             INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
);
INSERT INTO messages (id, source, account, folder, uidvalidity, uid, file, internal_date, size, truncated, raw_sha256,
    content_key, message_id, from_addr, from_name, reply_to, subject, in_reply_to, refs, date_header, text,
    language, defects, disposition, reason, route, consultation_id, submission_id, duplicate_of, ack, created_at)
SELECT id, source, account, folder, uidvalidity, uid, file, internal_date, size, truncated, raw_sha256,
    content_key, message_id, from_addr, from_name, reply_to, subject, in_reply_to, refs, date_header, text,
    language, defects, disposition, reason, route, consultation_id, submission_id, duplicate_of, ack, created_at FROM messages_v4;
DROP TABLE messages_v4;

CREATE TABLE message_raw (
    message INTEGER NOT NULL REFERENCES messages(id),
    seq     INTEGER NOT NULL,
    data    BLOB NOT NULL,
    PRIMARY KEY (message, seq)
);

CREATE UNIQUE INDEX messages_uid ON messages (account, folder, uidvalidity, uid) WHERE uid IS NOT NULL;
CREATE INDEX messages_content ON messages (content_key);
CREATE INDEX messages_raw ON messages (raw_sha256);
CREATE INDEX messages_submission ON messages (submission_id);
