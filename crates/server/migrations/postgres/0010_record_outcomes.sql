-- Each record's outcome code (`answered`, `not_home`, ...), so that the
-- register and the temperature checks (records that are `answered`, or a
-- household that `moved`) are read by an index: the alerts list and the
-- people and checks exports read those, not every visit of the campaign.
-- Filled here for the records already stored.
ALTER TABLE records ADD COLUMN outcome TEXT;
UPDATE records SET outcome = CAST(body AS json) -> 'outcome' ->> 'kind';
CREATE INDEX records_by_outcome ON records (campaign_id, outcome, seq);
