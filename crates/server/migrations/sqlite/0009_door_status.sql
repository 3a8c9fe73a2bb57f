-- Each visited door's status, kept in the transaction that stores a record:
-- the record the door-status rule picks (`record::latest_record` in
-- crates/core) and what it says. Coverage reads this, one row per visited
-- door, instead of every record of the campaign. Filled for records stored
-- before this migration when the server opens the database
-- (`door_status::fill`).
CREATE TABLE door_status (
    campaign_id TEXT NOT NULL,
    door_id     TEXT NOT NULL,
    -- The door's landing, for coverage counted by the database.
    building_id TEXT NOT NULL,
    floor       INTEGER NOT NULL,
    -- The picked record, and what the rule orders by: a new record is
    -- compared with it, without reading the door's other records.
    record_id   TEXT NOT NULL,
    device_time INTEGER NOT NULL,
    device_id   TEXT NOT NULL,
    device_seq  INTEGER NOT NULL,
    -- Ids the door's visits replace (JSON array): a record listed here never
    -- shows, even if it arrives after the edit that replaces it.
    superseded  TEXT NOT NULL,
    -- The picked record's outcome, as stored (JSON), whether it is final,
    -- and for "come back at" the time (revisits are listed soonest first).
    outcome     TEXT NOT NULL,
    is_final    INTEGER NOT NULL,
    come_back_at INTEGER,
    PRIMARY KEY (campaign_id, door_id)
);
CREATE INDEX door_status_by_landing ON door_status (campaign_id, building_id, floor);
CREATE INDEX door_status_revisits ON door_status (campaign_id, is_final, come_back_at);

-- Each volunteer's records received today (the console's volunteers list)
-- are counted from here, not by reading the campaign's history.
CREATE INDEX records_by_arrival ON records (campaign_id, received_at);
