-- What a trend needs of each observation as it was seen that day, not as the document is now: the keyword
-- and NLP entity values it filters and splits on (storage.base.trend_values) and the EUR-per-gram values of
-- that day's offers (storage.base.eur_per_gram), as JSON {"values": {field: [value, ...]}, "eur_per_gram":
-- [number, ...]}.  The search cluster indexes the same per observation, so both give the same trends.
-- NULL for observations written before this version: a trend then reads the document's current version
-- and that day's prices, as version 1 did.
ALTER TABLE observations ADD COLUMN facts TEXT;
