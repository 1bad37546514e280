-- vvgintake ledger: suggestions that say the same thing (classify/similar).
--
-- Near duplicates: each submission keeps the MinHash signature of its
-- text (what package similar's Signature.MarshalBinary writes, at most
-- 518 bytes) and the root of its near-duplicate group: the first
-- suggestion of a campaign, or its own id when it is no copy. NULL root:
-- not grouped yet; the pipeline groups it at intake or, after a crash, at
-- its next pass (resumable). Staff decide a group at once by its root.
ALTER TABLE submissions ADD COLUMN dup_signature BLOB;
ALTER TABLE submissions ADD COLUMN dup_root INTEGER;
CREATE INDEX submissions_dup_root ON submissions (dup_root) WHERE dup_root IS NOT NULL;

-- Themes: suggestions asking for the same thing in their own words,
-- within one consultation and measure. ids are per consultation (the
-- next one is consultations.theme_next). label is staff's name for a
-- theme ('' shows the computed words, a JSON array of its most telling
-- words, kept here so the digest, the results table and the CLI need not
-- regroup to name it); kept: staff edited it, so it keeps its id, label
-- and pinned members in later regroupings.
ALTER TABLE consultations ADD COLUMN theme_next INTEGER NOT NULL DEFAULT 1;
CREATE TABLE themes (
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    id              INTEGER NOT NULL,
    measure         TEXT NOT NULL,
    label           TEXT NOT NULL DEFAULT '',
    words           TEXT NOT NULL DEFAULT '[]',
    kept            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (consultation_id, id)
) WITHOUT ROWID;
-- pinned: staff put the suggestion in this theme; regrouping leaves it.
CREATE TABLE theme_members (
    submission_id   INTEGER PRIMARY KEY REFERENCES submissions(id),
    consultation_id INTEGER NOT NULL,
    theme_id        INTEGER NOT NULL,
    pinned          INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (consultation_id, theme_id) REFERENCES themes(consultation_id, id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX theme_members_theme ON theme_members (consultation_id, theme_id);

-- group_rev counts the changes to what the grouping of a consultation
-- rests on. Each process keeps the grouping of a consultation in memory
-- and writes it back only if group_rev is still what it read
-- (optimistic concurrency: the daemon and a staff member's CLI command may
-- both group); anything else that moves it makes the others reload. The
-- triggers move it for the changes made outside the grouping, whichever
-- command made them: a suggestion refiled under another measure, withdrawn
-- or reinstated, or its text changed (a letter split in parts). A new
-- suggestion does not move it: it waits, ungrouped (dup_root NULL), for
-- the next pass of whichever process sees it first.
ALTER TABLE consultations ADD COLUMN group_rev INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER submissions_regroup AFTER UPDATE OF measure, withdrawn, text, subject ON submissions
WHEN OLD.measure IS NOT NEW.measure OR (OLD.withdrawn = '') <> (NEW.withdrawn = '')
    OR OLD.text IS NOT NEW.text OR OLD.subject IS NOT NEW.subject
BEGIN
    UPDATE consultations SET group_rev = group_rev + 1 WHERE id = NEW.consultation_id;
END;
-- A changed text is signed again and its group found again.
CREATE TRIGGER submissions_resign AFTER UPDATE OF text, subject ON submissions
WHEN OLD.text IS NOT NEW.text OR OLD.subject IS NOT NEW.subject
BEGIN
    UPDATE submissions SET dup_signature = NULL, dup_root = NULL WHERE id = NEW.id;
END;
