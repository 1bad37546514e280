-- vvgintake ledger, schema version 2: blobs become an ordinary rowid table.
--
-- In a WITHOUT ROWID table the whole row lives in the primary-key b-tree,
-- and to compare keys on the way down SQLite reads a cell's entire payload,
-- overflow pages included (btree.c, sqlite3BtreeIndexMoveto). With raw
-- messages and attachments of several megabytes every insert and lookup
-- read megabytes: ingesting mail with 3 MB attachments spent a fifth of
-- its CPU there. SQLite advises WITHOUT ROWID only for rows smaller than
-- about 1/20 of a page (https://sqlite.org/withoutrowid.html, section 4).
-- As a rowid table the key index holds only the digest and the rowid.
--
-- messages and attachments reference blobs(sha256), so the table is
-- rebuilt under its own name with the foreign-key checks deferred to the
-- commit (the implicit DELETE of DROP TABLE counts violations that the
-- re-inserted rows clear again; https://sqlite.org/foreignkeys.html §5).
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE blobs_v1 AS SELECT sha256, size, data FROM blobs;
DROP TABLE blobs;
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL,
    data   BLOB NOT NULL
);
INSERT INTO blobs (sha256, size, data) SELECT sha256, size, data FROM blobs_v1;
DROP TABLE blobs_v1;
