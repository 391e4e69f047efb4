-- Search that scales (#13): indexes the search plans name (storage/sqlite.py, INDEXED BY).
-- documents_facts covers what a search reads of each matching document (kind, source and the order: last_us, id)
-- without reading the row itself, whose JSON body makes it tens of times wider: a text query joins each full-text
-- match to it by doc_key.  documents_recent gives the newest-first order of a search without text or filter.
CREATE INDEX documents_facts ON documents (doc_key, kind, source, last_us, id);
CREATE INDEX documents_recent ON documents (last_us DESC, id);
