-- Each record's kind (`visit`, `temperature_check`, `need`, ...), so that a
-- campaign's needs (the needs, their updates, and the voids that may
-- withdraw them) are read by an index, not from every visit of the
-- campaign. Filled here for the records already stored.
ALTER TABLE records ADD COLUMN kind TEXT NOT NULL DEFAULT 'visit';
UPDATE records SET kind = COALESCE(CAST(body AS json) -> 'kind' ->> 'type', 'visit');
CREATE INDEX records_by_kind ON records (campaign_id, kind, seq);
