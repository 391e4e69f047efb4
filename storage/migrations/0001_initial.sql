-- The first schema: current documents, one observation per document and UTC day,
-- keyword terms for filters and facets, and the FTS5 index over storage.base.TEXT_FIELDS
-- (SQLite 3.38 or later for the ->> operator).
-- Times are integer microseconds since the Unix epoch (UTC); days are 'YYYY-MM-DD' (UTC).

CREATE TABLE documents (
    doc_key INTEGER PRIMARY KEY,          -- internal key, also the rowid of the FTS row
    id TEXT NOT NULL UNIQUE,              -- the document id (crawlers.items.make_id)
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    body TEXT NOT NULL,                   -- the current version, JSON
    content_hash TEXT NOT NULL,           -- hash of the body without storage.base.VOLATILE_FIELDS
    current_us INTEGER NOT NULL,          -- seen_at of the current version
    first_us INTEGER NOT NULL,            -- earliest observation
    last_us INTEGER NOT NULL              -- latest observation
);
CREATE INDEX documents_kind_source ON documents (kind, source);

CREATE TABLE observations (
    doc_key INTEGER NOT NULL REFERENCES documents (doc_key),
    day TEXT NOT NULL,                    -- UTC day of seen_at
    seen_us INTEGER NOT NULL,             -- the last time that day the document was seen
    prices TEXT NOT NULL,                 -- JSON list, as in the document ([] when it has none)
    warc_record_id TEXT,
    PRIMARY KEY (doc_key, day)
) WITHOUT ROWID;

CREATE TABLE terms (
    doc_key INTEGER NOT NULL REFERENCES documents (doc_key),
    field TEXT NOT NULL,                  -- one of storage.base.KEYWORD_FIELDS
    value TEXT NOT NULL,
    PRIMARY KEY (doc_key, field, value)
) WITHOUT ROWID;
CREATE INDEX terms_field_value ON terms (field, value, doc_key);

-- The full-text index keeps no copy of the text: its content is this view of the stored
-- JSON (one column per TEXT_FIELDS entry, same order), read again for snippets and deletes.
CREATE VIEW fts_source AS
SELECT
    doc_key,
    body ->> '$.title' AS title,
    body ->> '$.thread_title' AS thread_title,
    body ->> '$.name' AS name,
    body ->> '$.description' AS description,
    body ->> '$.text' AS text
FROM documents;

CREATE VIRTUAL TABLE fts USING fts5 (
    title, thread_title, name, description, text,
    content = 'fts_source',
    content_rowid = 'doc_key',
    tokenize = 'unicode61 remove_diacritics 2'
);
