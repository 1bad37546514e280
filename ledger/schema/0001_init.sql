-- vvgintake ledger, schema version 1.
-- Times are TEXT in UTC, fixed width "2006-01-02T15:04:05.000000Z" so that
-- they sort as strings; dates (deadlines) are "2006-01-02" in Europe/Vilnius.

CREATE TABLE consultations (
    id               INTEGER PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'open', 'closed', 'reported')),
    opens_at         TEXT NOT NULL,
    closes_at        TEXT NOT NULL,
    response_due     TEXT NOT NULL,
    subject_keywords TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    closed_at        TEXT,
    reported_at      TEXT,
    CHECK (closes_at > opens_at)
);

-- Per-year counters make reference numbers gapless: the counter is bumped
-- in the same transaction that inserts the submission, so a rollback
-- gives the number back.
CREATE TABLE ref_counters (
    prefix TEXT NOT NULL,
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
) WITHOUT ROWID;

-- Content-addressed storage: raw messages and attachments, stored once.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL,
    data   BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE submissions (
    id               INTEGER PRIMARY KEY,
    ref              TEXT NOT NULL UNIQUE,
    consultation_id  INTEGER NOT NULL REFERENCES consultations(id),
    source           TEXT NOT NULL CHECK (source IN ('email', 'form', 'staff')),
    received_at      TEXT NOT NULL,
    late             INTEGER NOT NULL DEFAULT 0,
    sender_name      TEXT NOT NULL DEFAULT '',
    sender_email     TEXT NOT NULL DEFAULT '',
    sector           TEXT NOT NULL DEFAULT '',
    subject          TEXT NOT NULL DEFAULT '',
    text             TEXT NOT NULL DEFAULT '',
    language         TEXT NOT NULL DEFAULT 'lt',
    measure          TEXT NOT NULL DEFAULT '',
    confidence       REAL NOT NULL DEFAULT 0,
    secondary        TEXT NOT NULL DEFAULT '',
    evidence         TEXT NOT NULL DEFAULT '',
    needs_review     INTEGER NOT NULL DEFAULT 0,
    resident_measure TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'new'
                     CHECK (status IN ('new', 'reviewed', 'decided')),
    decision         TEXT NOT NULL DEFAULT ''
                     CHECK (decision IN ('', 'accepted', 'partly', 'rejected')),
    decision_reason  TEXT NOT NULL DEFAULT '',
    decided_at       TEXT,
    response_due     TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX submissions_consultation ON submissions (consultation_id, received_at);
CREATE INDEX submissions_measure ON submissions (measure);

-- Every message that ever arrived, whatever became of it.
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
    raw_sha256      TEXT NOT NULL REFERENCES blobs(sha256),
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
CREATE UNIQUE INDEX messages_uid ON messages (account, folder, uidvalidity, uid) WHERE uid IS NOT NULL;
CREATE INDEX messages_content ON messages (content_key);
CREATE INDEX messages_raw ON messages (raw_sha256);
CREATE INDEX messages_submission ON messages (submission_id);

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    message_id    INTEGER REFERENCES messages(id),
    submission_id INTEGER REFERENCES submissions(id),
    filename      TEXT NOT NULL DEFAULT '',
    content_type  TEXT NOT NULL DEFAULT 'application/octet-stream',
    size          INTEGER NOT NULL,
    sha256        TEXT REFERENCES blobs(sha256),
    refused       TEXT NOT NULL DEFAULT '',
    CHECK (message_id IS NOT NULL OR submission_id IS NOT NULL),
    CHECK ((sha256 IS NULL) = (refused <> ''))
);
CREATE INDEX attachments_message ON attachments (message_id);
CREATE INDEX attachments_submission ON attachments (submission_id);

-- Automatic classifications and staff corrections; the latest row is the
-- current one, staff rows are training examples.
CREATE TABLE classifications (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    measure       TEXT NOT NULL,
    confidence    REAL NOT NULL DEFAULT 0,
    secondary     TEXT NOT NULL DEFAULT '',
    evidence      TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL CHECK (source IN ('auto', 'staff', 'resident')),
    actor         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);
CREATE INDEX classifications_submission ON classifications (submission_id);

-- Mail to send. A row is written in the same transaction as whatever it
-- is about; the sender renders it at send time under a stable Message-ID.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('ack', 'digest', 'report', 'reminder')),
    dedupe_key      TEXT NOT NULL UNIQUE,
    submission_id   INTEGER REFERENCES submissions(id),
    consultation_id INTEGER REFERENCES consultations(id),
    recipients      TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    payload         TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    in_doubt        INTEGER NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_recipients ON outbox (kind, recipients, created_at);
CREATE INDEX outbox_submission ON outbox (submission_id);

CREATE TABLE mailboxes (
    account     TEXT NOT NULL,
    folder      TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL DEFAULT 0,
    last_uid    INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account, folder)
) WITHOUT ROWID;

CREATE TABLE mailbox_health (
    account      TEXT PRIMARY KEY,
    connected    INTEGER NOT NULL DEFAULT 0,
    last_sync    TEXT,
    last_error   TEXT NOT NULL DEFAULT '',
    auth_failing INTEGER NOT NULL DEFAULT 0,
    reconnects   INTEGER NOT NULL DEFAULT 0,
    updated_at   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);

-- Small named values: the digest watermark, scheduler bookkeeping.
CREATE TABLE state (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
