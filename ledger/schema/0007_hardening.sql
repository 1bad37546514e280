-- vvgintake ledger: hardening (backscatter, alerts, abuse).

-- Why a suggestion that opened a case got no acknowledgement (an unsure
-- spam score, failed sender authentication): staff review it and may
-- answer by hand. '' when nothing held it back.
ALTER TABLE submissions ADD COLUMN ack_withheld TEXT NOT NULL DEFAULT '';

-- The per-sender acknowledgement limit also counts by the message's From
-- address and, for tagged addresses (reply+8123@desk.example), by the
-- recipient's domain: an autoresponder answering from a new per-ticket
-- address each time is still one sender.
ALTER TABLE outbox ADD COLUMN ack_from TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN ack_domain TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_ack_from ON outbox (kind, ack_from, created_at) WHERE ack_from <> '';
CREATE INDEX outbox_ack_domain ON outbox (kind, ack_domain, created_at) WHERE ack_domain <> '';

-- A failed item alerts until staff retry or dismiss it, or it ages out:
-- alerts are about now.
ALTER TABLE outbox ADD COLUMN failed_at TEXT;
ALTER TABLE outbox ADD COLUMN dismissed_at TEXT;
UPDATE outbox SET failed_at = coalesce(sent_at, next_attempt_at, created_at) WHERE status = 'failed';

-- The outbox sender's last view of the SMTP server, so that `vvgintake
-- status` (another process) sees an outage or a refused login.
CREATE TABLE smtp_health (
    server        TEXT PRIMARY KEY,            -- host:port
    reachable     INTEGER NOT NULL DEFAULT 1,
    auth_failing  INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    failing_since TEXT,
    last_ok       TEXT,
    updated_at    TEXT NOT NULL
) WITHOUT ROWID;

-- The web form's per-client budget (token buckets), kept across restarts.
CREATE TABLE rate_limits (
    key    TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    last   TEXT NOT NULL
) WITHOUT ROWID;

-- OAuth refresh tokens as the token endpoint rotated them (RFC 6749 §6),
-- keyed by the endpoint, the client and a digest of the configured token
-- they descend from: a newly configured token starts a new line.
CREATE TABLE oauth_tokens (
    key           TEXT PRIMARY KEY,
    refresh_token TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) WITHOUT ROWID;
