-- vvgintake ledger, schema version 6: a decision's history, and English
-- titles for consultations.
--
-- A decision that replaces another kept only the last one: who decided
-- first, and what, was lost, though the VVG must show how each suggestion
-- was considered. Every decision is now a row of decisions; the columns of
-- submissions keep the current one, as exports and reports read it. The
-- decisions made before this version become the first row of their
-- history, with the actor the audit log names.
CREATE TABLE decisions (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    decision      TEXT NOT NULL CHECK (decision IN ('accepted', 'partly', 'rejected')),
    reason        TEXT NOT NULL,
    actor         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);
CREATE INDEX decisions_submission ON decisions (submission_id);

INSERT INTO decisions (submission_id, decision, reason, actor, created_at)
SELECT s.id, s.decision, s.decision_reason,
       coalesce((SELECT a.actor FROM audit a WHERE a.action = 'submission.decide' AND a.target = s.ref
                 ORDER BY a.id DESC LIMIT 1), ''),
       coalesce(s.decided_at, s.created_at)
FROM submissions s WHERE s.decision <> '' ORDER BY s.id;

-- A consultation's title and description as English pages and mail show
-- them; empty means the Lithuanian ones are shown there too.
ALTER TABLE consultations ADD COLUMN title_en TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN description_en TEXT NOT NULL DEFAULT '';
