-- Each record's building (its door's, or the floor record's own), so that a
-- volunteer assigned to some buildings pulls their records by an index, not
-- by reading the whole campaign's and filtering. Records stored before this
-- migration get theirs when the server opens the database
-- (`campaigns::fill_record_buildings`). NULL: a door no longer in the territory.
ALTER TABLE records ADD COLUMN building_id TEXT;
CREATE INDEX records_by_building ON records (campaign_id, building_id, seq);
