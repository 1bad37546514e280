-- vvgintake ledger, schema version 8: the staff console.
--
-- Staff accounts, their server-side sessions and the login throttle; the
-- staff actions the console adds (withdraw, split, merge, internal notes);
-- and the full-text index of submissions.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'board')),
    -- argon2id in the PHC string format; '' until the user sets one.
    password_hash  TEXT NOT NULL DEFAULT '',
    -- RFC 6238 secret (base32); '' when the second factor is off.
    totp_secret    TEXT NOT NULL DEFAULT '',
    disabled       INTEGER NOT NULL DEFAULT 0,
    -- SHA-256 of the one-time link that sets the password, and its expiry.
    setup_hash     TEXT NOT NULL DEFAULT '',
    setup_expires  TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- A session is known by the SHA-256 of its cookie, never the cookie
-- itself: a copy of the ledger (a backup) lets nobody in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    csrf       TEXT NOT NULL,
    -- 1 while the password was right but the second factor is still due.
    pending    INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    seen_at    TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Consecutive failed logins per account ("user:…") and per client
-- ("ip:…"); kept here so that a restart does not reset the count.
CREATE TABLE login_failures (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_at      TEXT NOT NULL,
    locked_until TEXT
) WITHOUT ROWID;

-- withdrawn: why a suggestion left every count ('' while it counts):
-- spam or a duplicate that slipped through; it keeps its reference.
ALTER TABLE submissions ADD COLUMN withdrawn TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN merged_into INTEGER REFERENCES submissions(id);
ALTER TABLE submissions ADD COLUMN split_from INTEGER REFERENCES submissions(id);
-- The console's list filters and counts 100,000 suggestions from this
-- index alone (it holds every column a filter or sort reads), never
-- reading the rows with their long texts; and sorts by confidence.
CREATE INDEX submissions_list ON submissions (withdrawn, received_at, consultation_id, measure, status, late,
    needs_review, decision, source, sector, confidence);
CREATE INDEX submissions_confidence ON submissions (withdrawn, confidence);
CREATE INDEX submissions_by_measure ON submissions (withdrawn, measure, received_at, consultation_id);
CREATE INDEX submissions_review ON submissions (id) WHERE needs_review = 1 AND withdrawn = '';

CREATE TABLE notes (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    actor         TEXT NOT NULL,
    text          TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX notes_submission ON notes (submission_id);

-- Full-text search: rowid is the submission's id, doc its text, subject
-- and sender already folded and stemmed by the caller (Options.Search),
-- so "savanoriu" finds "savanorių". Rows written before this version are
-- indexed when the ledger is opened.
-- detail=none and columnsize=0: searches ask only whether a suggestion has
-- a word (no phrases, no ranking; lists are ordered by date), so the index
-- keeps no positions or sizes, which makes recording a suggestion cheaper.
CREATE VIRTUAL TABLE submissions_fts USING fts5(doc, tokenize = 'unicode61 remove_diacritics 2', detail = none, columnsize = 0);

CREATE INDEX audit_target ON audit (target);
