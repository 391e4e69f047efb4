-- Fast filtered trends (#16, the workbench's substance page): which documents ever carried each trend value
-- (storage.base.trend_values) in any observation.  A trend with a filter reads only the observations of these
-- candidate documents (storage/sqlite_trend.py), then filters them on each observation's own facts as before, so
-- a superset is enough: rows are added when a version with new content is observed and never removed (a document
-- relabelled keeps its earlier values here, as its earlier observations keep them in their facts).
CREATE TABLE trend_terms (
    field TEXT NOT NULL,                  -- one of storage.base.TREND_FIELDS
    value TEXT NOT NULL,
    doc_key INTEGER NOT NULL REFERENCES documents (doc_key),
    PRIMARY KEY (field, value, doc_key)
) WITHOUT ROWID;
-- The current versions (what observations written before version 2, without facts, trend with) ...
INSERT OR IGNORE INTO trend_terms (field, value, doc_key) SELECT field, value, doc_key FROM terms;
-- ... and every observation's facts.
INSERT OR IGNORE INTO trend_terms (field, value, doc_key)
SELECT f.key, v.value, o.doc_key
FROM observations o, json_each(o.facts, '$.values') f, json_each(f.value) v
WHERE o.facts IS NOT NULL;
