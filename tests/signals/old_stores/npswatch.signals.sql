BEGIN TRANSACTION;
CREATE TABLE runs (
    as_of TEXT NOT NULL,
    ran_at TEXT NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    closed INTEGER NOT NULL
);
INSERT INTO "runs" VALUES('2026-10-03','2026-12-06T19:51:04Z',1,0,0);
CREATE TABLE signals (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    subject TEXT NOT NULL,
    scope TEXT,
    state TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL
);
INSERT INTO "signals" VALUES('9f837347ce8fe782a43e','source_down','nova_market',NULL,'closed','2026-10-02','2026-10-03','2026-12-06T19:51:04Z','{"countries": [], "counts": {"runs": 1}, "detector": "health", "evidence": [], "family": null, "first_seen": "2026-10-02", "id": "9f837347ce8fe782a43e", "known": true, "languages": [], "last_seen": "2026-10-03", "markets": [], "prices": {}, "scope": null, "severity": "medium", "sources": ["nova_market"], "state": "closed", "statistics": {"errors": 0, "items": 0, "pages": 2, "problems": [{"consecutive_failures": 2, "days_without_success": 1.0, "errors": {}, "http_status": {"503": 2}, "message": null}], "result": "failed", "run_id": 5}, "subject": "nova_market", "substance": null, "summary": "nova_market: 2 failed crawls in a row (threshold 2); last: failed", "type": "source_down", "updated_at": "2026-12-06T19:51:04Z", "window": {}}');
INSERT INTO "signals" VALUES('b807aa2447e3e8624118','source_down','tulip_bazaar',NULL,'dismissed','2026-10-02','2026-10-03','2026-12-06T19:51:04Z','{"countries": [], "counts": {"runs": 2}, "detector": "health", "evidence": [], "family": null, "first_seen": "2026-10-02", "id": "b807aa2447e3e8624118", "known": true, "languages": [], "last_seen": "2026-10-03", "markets": [], "prices": {}, "scope": null, "severity": "medium", "sources": ["tulip_bazaar"], "state": "dismissed", "statistics": {"errors": 0, "items": 0, "pages": 2, "problems": [{"consecutive_failures": 3, "days_without_success": 2.0, "errors": {}, "http_status": {"503": 2}, "message": null}], "result": "failed", "run_id": 3}, "subject": "tulip_bazaar", "substance": null, "summary": "tulip_bazaar: 3 failed crawls in a row (threshold 2); last: failed", "type": "source_down", "updated_at": "2026-12-06T19:51:04Z", "window": {}}');
INSERT INTO "signals" VALUES('0271cf63f92416730ee6','first_seen','3-CPMC',NULL,'acknowledged','2026-10-02','2026-10-03','2026-12-06T19:51:04Z','{"countries": [], "counts": {}, "detector": "first-seen", "evidence": [{"doc_id": "d1", "kind": "listing", "seen_at": "2026-10-02T12:00:00+00:00", "url": "http://x/1", "warc_record_id": "<urn:uuid:1>"}], "family": "synthetic cathinone", "first_seen": "2026-10-02", "id": "0271cf63f92416730ee6", "known": false, "languages": [], "last_seen": "2026-10-03", "markets": ["Nova"], "prices": {}, "scope": null, "severity": "high", "sources": [], "state": "acknowledged", "statistics": {}, "subject": "3-CPMC", "substance": "3-CPMC", "summary": "3-CPMC first seen", "type": "first_seen", "updated_at": "2026-12-06T19:51:04Z", "window": {}}');
CREATE INDEX signals_subject ON signals (type, subject, scope, last_seen);
COMMIT;
