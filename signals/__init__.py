"""Early-warning signals: series, detectors and signal records (see issue 6)."""
