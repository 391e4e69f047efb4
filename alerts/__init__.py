"""Early-warning signals: detection over the store's series, signal records, and their delivery to the EWS."""
