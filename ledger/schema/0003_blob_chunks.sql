-- vvgintake ledger, schema version 3: content is stored in pieces.
--
-- Binding a 4 MB message as one value made the SQLite driver copy it into
-- C memory and SQLite copy it again into the record it writes: 8 MB more
-- per large message at the peak, and the process's memory never shrank
-- back. Content written from now on goes into blob_chunks, at most 256 KiB
-- a row, in order of seq; blobs keeps the digest and size, and its data
-- column stays empty. Rows written before keep their content in
-- blobs.data; nothing is moved.
CREATE TABLE blob_chunks (
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    seq    INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (sha256, seq)
);
