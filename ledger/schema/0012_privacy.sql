-- vvgintake ledger: privacy and records (GDPR Art. 15, 17 and 5(1)(e)).
--
-- A person's data is found by their address and erased on request, and
-- retention rules purge it on their own. What stays of an erased case is
-- an anonymous tombstone: its reference, consultation, measure, decision
-- and dates, so counts and published results stay true.

-- When a suggestion's personal data (sender, subject, text, attachments,
-- notes, the mail sent about it) was erased; NULL while it is kept. A
-- letter is never sent to an erased suggestion.
ALTER TABLE submissions ADD COLUMN erased_at TEXT;
-- When a message's personal data (addresses, names, subject, text,
-- headers) was erased, and when its raw bytes and attachments were. Its
-- digest and mailbox position stay: the same delivery, seen again after a
-- UIDVALIDITY change or in an imported archive, is recognised and not
-- taken in a second time.
ALTER TABLE messages ADD COLUMN erased_at TEXT;
ALTER TABLE messages ADD COLUMN raw_erased_at TEXT;
-- When its copies in the mailbox were queued for deletion (an erasure,
-- a retention rule): they are looked for once.
ALTER TABLE messages ADD COLUMN copies_queued_at TEXT;

-- A person is found by address in a few milliseconds among 100,000
-- suggestions; the name indexes are scanned (names compare folded, in Go)
-- without reading the rows and their texts.
CREATE INDEX submissions_sender ON submissions (sender_email) WHERE sender_email <> '';
CREATE INDEX submissions_sender_name ON submissions (sender_name) WHERE sender_name <> '';
CREATE INDEX messages_from ON messages (from_addr) WHERE from_addr <> '';
CREATE INDEX messages_reply_to ON messages (lower(reply_to)) WHERE reply_to <> '';
CREATE INDEX messages_from_name ON messages (from_name) WHERE from_name <> '';
CREATE INDEX outbox_to_resident ON outbox (recipients) WHERE kind IN ('ack', 'decision');
CREATE INDEX classifications_resident ON classifications (actor) WHERE source = 'resident';
-- Content is deleted once no attachment needs it: asked per digest.
CREATE INDEX attachments_sha256 ON attachments (sha256) WHERE sha256 IS NOT NULL;
-- Retention finds what is still to purge of a consultation from these
-- alone: nothing is read again once a consultation is purged.
CREATE INDEX submissions_unerased ON submissions (consultation_id) WHERE erased_at IS NULL;
CREATE INDEX messages_consultation ON messages (consultation_id, id);
CREATE INDEX messages_raw_kept ON messages (internal_date) WHERE raw_erased_at IS NULL;

-- An erasure: on a person's request (kind person; subject is the keyed
-- hash of their address, never the address) or by a retention rule (kind
-- retention; subject names the consultation and the rule). The ledger's
-- part is done in the transaction that creates the row; the mailbox
-- copies wait in erasure_copies until they are deleted, and the ledger
-- file is compacted after each part, so a crash or an IMAP outage at any
-- point is finished by the next run.
CREATE TABLE erasures (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('person', 'retention')),
    subject      TEXT NOT NULL,
    actor        TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    -- Counts only ("2 suggestions, 3 messages, …"): no personal data;
    -- counts has them as JSON (ErasureCounts) for the digest.
    summary      TEXT NOT NULL DEFAULT '',
    counts       TEXT NOT NULL DEFAULT '{}',
    mailbox_at   TEXT,            -- every mailbox copy deleted (or none to delete)
    compacted_at TEXT,            -- the ledger file checkpointed after the last part
    finished_at  TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX erasures_subject ON erasures (subject);
CREATE INDEX erasures_open ON erasures (id) WHERE finished_at IS NULL;

-- The mailbox copies an erasure still has to delete: where the message
-- was taken in (folder, UIDVALIDITY, UID), and its Message-ID and digest
-- to find it where it was moved or copied to. Deleted with the copies.
CREATE TABLE erasure_copies (
    erasure_id  INTEGER NOT NULL REFERENCES erasures(id),
    account     TEXT NOT NULL DEFAULT '',
    folder      TEXT NOT NULL DEFAULT '',
    uidvalidity INTEGER NOT NULL DEFAULT 0,
    uid         INTEGER NOT NULL DEFAULT 0,
    message_id  TEXT NOT NULL DEFAULT '',
    raw_sha256  TEXT NOT NULL,
    size        INTEGER NOT NULL DEFAULT 0,
    truncated   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX erasure_copies_erasure ON erasure_copies (erasure_id);

-- Deleting a row from the full-text index removes its terms from the
-- index's segments at once instead of adding a delete marker that only a
-- later merge applies (FTS5 'secure-delete', SQLite 3.44): an erased
-- person's words leave no segment behind.
INSERT INTO submissions_fts (submissions_fts, rank) VALUES ('secure-delete', 1);

-- A ledger with data from before this version may hold deleted content in
-- free pages (secure_delete was off): the first erasure compacts it once
-- (VACUUM). A new ledger never needs to.
INSERT INTO state (key, value, updated_at)
SELECT 'privacy.vacuum_due', '1', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE EXISTS (SELECT 1 FROM messages) OR EXISTS (SELECT 1 FROM submissions) OR EXISTS (SELECT 1 FROM blobs)
    OR EXISTS (SELECT 1 FROM outbox) OR EXISTS (SELECT 1 FROM audit WHERE actor <> 'config');
