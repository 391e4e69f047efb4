BEGIN TRANSACTION;
CREATE TABLE health (
    source TEXT PRIMARY KEY,
    state TEXT NOT NULL,              -- ok | source_down | layout_change | needs_login | blocked | source_gone
    since TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    detail TEXT NOT NULL
);
INSERT INTO "health" VALUES('tulip_bazaar','source_down','2026-10-02T12:00:00+00:00','2026-10-03T12:00:00+00:00','tulip_bazaar: 3 failed crawls in a row (threshold 2); last: failed');
INSERT INTO "health" VALUES('nova_market','ok','2026-10-03T12:00:00+00:00','2026-10-03T12:00:00+00:00','20 items from 24 pages');
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    started TEXT NOT NULL,            -- ISO 8601, UTC
    ended TEXT,                       -- NULL while running
    exit_code INTEGER,
    result TEXT NOT NULL,             -- running | ok | failed | interrupted | timeout | error | missed
    availability TEXT,                -- up | down | blocked | needs_login (NULL: not known)
    pages INTEGER NOT NULL DEFAULT 0,
    items INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    as_of TEXT,                       -- the simulated day of a demo crawl
    message TEXT,                     -- why it failed, in one line
    report TEXT                       -- the crawl's JSON report
);
INSERT INTO "runs" VALUES(1,'tulip_bazaar','2026-10-01T12:00:00+00:00','2026-10-01T12:00:00+00:00',0,'failed','down',2,0,0,'2026-10-01',NULL,'{"pages": 2, "items": {}, "errors": {}, "http_status": {"503": 2}, "npswatch_stats": {}}');
INSERT INTO "runs" VALUES(2,'tulip_bazaar','2026-10-02T12:00:00+00:00','2026-10-02T12:00:00+00:00',0,'failed','down',2,0,0,'2026-10-02',NULL,'{"pages": 2, "items": {}, "errors": {}, "http_status": {"503": 2}, "npswatch_stats": {}}');
INSERT INTO "runs" VALUES(3,'tulip_bazaar','2026-10-03T12:00:00+00:00','2026-10-03T12:00:00+00:00',0,'failed','down',2,0,0,'2026-10-03',NULL,'{"pages": 2, "items": {}, "errors": {}, "http_status": {"503": 2}, "npswatch_stats": {}}');
INSERT INTO "runs" VALUES(4,'nova_market','2026-10-01T12:00:00+00:00','2026-10-01T12:00:00+00:00',0,'failed','down',2,0,0,'2026-10-01',NULL,'{"pages": 2, "items": {}, "errors": {}, "http_status": {"503": 2}, "npswatch_stats": {}}');
INSERT INTO "runs" VALUES(5,'nova_market','2026-10-02T12:00:00+00:00','2026-10-02T12:00:00+00:00',0,'failed','down',2,0,0,'2026-10-02',NULL,'{"pages": 2, "items": {}, "errors": {}, "http_status": {"503": 2}, "npswatch_stats": {}}');
INSERT INTO "runs" VALUES(6,'nova_market','2026-10-03T12:00:00+00:00','2026-10-03T12:00:00+00:00',0,'ok','up',24,20,0,'2026-10-03',NULL,'{"pages": 24, "items": {"listing": 20}, "errors": {}, "http_status": {"200": 24}, "npswatch_stats": {"npswatch/pages/listing": 20}}');
CREATE TABLE signals (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    subject TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    state TEXT NOT NULL,
    data TEXT NOT NULL
);
INSERT INTO "signals" VALUES('b807aa2447e3e8624118','source_down','tulip_bazaar','2026-10-02','2026-10-03','new','{"type": "source_down", "subject": "tulip_bazaar", "first_seen": "2026-10-02", "last_seen": "2026-10-03", "severity": "medium", "summary": "tulip_bazaar: 3 failed crawls in a row (threshold 2); last: failed", "known": true, "family": null, "detector": "health", "statistics": {"run_id": 3, "problems": [{"consecutive_failures": 3, "days_without_success": 2.0, "http_status": {"503": 2}, "errors": {}, "message": null}], "result": "failed", "pages": 2, "items": 0, "errors": 0}, "window": {}, "counts": {"runs": 2}, "markets": [], "sources": ["tulip_bazaar"], "countries": [], "languages": [], "prices": {}, "evidence": [], "state": "new", "scope": null, "updated_at": null, "id": "b807aa2447e3e8624118", "substance": null}');
INSERT INTO "signals" VALUES('9f837347ce8fe782a43e','source_down','nova_market','2026-10-02','2026-10-03','closed','{"type": "source_down", "subject": "nova_market", "first_seen": "2026-10-02", "last_seen": "2026-10-03", "severity": "medium", "summary": "nova_market: 2 failed crawls in a row (threshold 2); last: failed", "known": true, "family": null, "detector": "health", "statistics": {"run_id": 5, "problems": [{"consecutive_failures": 2, "days_without_success": 1.0, "http_status": {"503": 2}, "errors": {}, "message": null}], "result": "failed", "pages": 2, "items": 0, "errors": 0}, "window": {}, "counts": {"runs": 1}, "markets": [], "sources": ["nova_market"], "countries": [], "languages": [], "prices": {}, "evidence": [], "state": "closed", "scope": null, "updated_at": null, "id": "9f837347ce8fe782a43e", "substance": null}');
INSERT INTO "signals" VALUES('78e04aa783d4dcd4e3bd','needs_login','lowlands_forum','2026-10-02','2026-10-03','new','{"type": "needs_login", "subject": "lowlands_forum", "first_seen": "2026-10-02", "last_seen": "2026-10-03", "severity": "high", "summary": "lowlands_forum: the session expired", "known": true, "family": null, "detector": "health", "statistics": {}, "window": {}, "counts": {"runs": 2}, "markets": [], "sources": ["lowlands_forum"], "countries": [], "languages": [], "prices": {}, "evidence": [], "state": "new", "scope": null, "updated_at": null, "id": "78e04aa783d4dcd4e3bd", "substance": null}');
CREATE INDEX runs_source ON runs (source, id);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('runs',6);
COMMIT;
