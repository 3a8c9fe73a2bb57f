-- Each visited door's status, kept in the transaction that stores a record:
-- the record the door-status rule picks (`record::latest_record` in
-- crates/core) and what it says. Coverage reads this, one row per visited
-- door, instead of every record of the campaign. Filled for records stored
-- before this migration when the server opens the database
-- (`door_status::fill`).
CREATE TABLE door_status (
    campaign_id TEXT NOT NULL,
    door_id     TEXT NOT NULL,
    record_seq  BIGINT NOT NULL,
    -- The picked record's outcome, as stored (JSON), and whether it is final.
    outcome     TEXT NOT NULL,
    is_final    BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, door_id)
);
