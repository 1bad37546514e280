-- vvgintake ledger: the outcome of a consultation.
--
-- After the deadline a consultation is decided (every suggestion that
-- counts has a decision) and then published: the VVG publishes its table
-- of suggestions, decisions and reasons, and every resident who gave an
-- address gets a decision letter. The closing report no longer moves a
-- consultation to a status of its own ("reported", with no later step):
-- it is a stamp, reported_at, on a closed consultation, and the
-- consultations reported before this version become closed ones.
--
-- A CHECK cannot be changed in place, so consultations and outbox are
-- rebuilt under their own names as messages was in version 5: the
-- foreign-key checks wait for the commit, by when the re-inserted rows
-- have answered every reference to them.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE consultations_v8 AS SELECT * FROM consultations;
DROP TABLE consultations;
CREATE TABLE consultations (
    id               INTEGER PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'open', 'closed', 'decided', 'published')),
    opens_at         TEXT NOT NULL,
    closes_at        TEXT NOT NULL,
    response_due     TEXT NOT NULL,
    subject_keywords TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    closed_at        TEXT,
    -- when the closing report (what came in) was sent
    reported_at      TEXT,
    title_en         TEXT NOT NULL DEFAULT '',
    description_en   TEXT NOT NULL DEFAULT '',
    -- when the last suggestion that counts got its decision
    decided_at       TEXT,
    -- when the results were published and the decision letters queued
    published_at     TEXT,
    CHECK (closes_at > opens_at)
);
INSERT INTO consultations (id, slug, title, description, status, opens_at, closes_at, response_due,
    subject_keywords, created_at, updated_at, closed_at, reported_at, title_en, description_en)
SELECT id, slug, title, description, CASE status WHEN 'reported' THEN 'closed' ELSE status END, opens_at,
    closes_at, response_due, subject_keywords, created_at, updated_at, closed_at, reported_at, title_en,
    description_en
FROM consultations_v8;
DROP TABLE consultations_v8;

-- Two new kinds of mail: a decision letter to a resident, and the
-- results report to staff and the board after publication.
CREATE TEMP TABLE outbox_v8 AS SELECT * FROM outbox;
DROP TABLE outbox;
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('ack', 'digest', 'report', 'reminder', 'decision', 'results')),
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
    sent_at         TEXT,
    ack_from        TEXT NOT NULL DEFAULT '',
    ack_domain      TEXT NOT NULL DEFAULT '',
    failed_at       TEXT,
    dismissed_at    TEXT
);
INSERT INTO outbox SELECT id, kind, dedupe_key, submission_id, consultation_id, recipients, message_id, payload,
    status, in_doubt, attempts, next_attempt_at, last_error, created_at, sent_at, ack_from, ack_domain, failed_at,
    dismissed_at
FROM outbox_v8;
DROP TABLE outbox_v8;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_recipients ON outbox (kind, recipients, created_at);
CREATE INDEX outbox_submission ON outbox (submission_id);
CREATE INDEX outbox_ack_from ON outbox (kind, ack_from, created_at) WHERE ack_from <> '';
CREATE INDEX outbox_ack_domain ON outbox (kind, ack_domain, created_at) WHERE ack_domain <> '';

-- answered_at: when the decision reached the resident: their decision
-- letter was accepted by the mail server, or, for a suggestion with no
-- address to write to, the results table was published. Reminders and
-- the digest count what is not answered yet.
ALTER TABLE submissions ADD COLUMN answered_at TEXT;

-- The personal data hidden in a suggestion's published text: the spans
-- (JSON, as package redact writes them) over the text whose SHA-256 is
-- kept beside them, so spans made on an earlier text are never applied
-- to a changed one. source 'auto' is what the detector found, frozen when
-- the results were published; 'staff' is what staff saw and saved.
CREATE TABLE redactions (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
    spans         TEXT NOT NULL,
    text_sha256   TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('auto', 'staff')),
    actor         TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL
);
