-- What the console counts, kept in the transaction that stores the records
-- it counts, so that coverage and the volunteers list read a row per
-- landing and per volunteer instead of a row per door or per record.

-- Visited and final doors per landing (from door_status, whose changes move
-- them: `door_status::write`).
CREATE TABLE landing_counts (
    campaign_id   TEXT NOT NULL,
    building_id   TEXT NOT NULL,
    floor         BIGINT NOT NULL,
    visited_doors BIGINT NOT NULL,
    final_doors   BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, building_id, floor)
);
INSERT INTO landing_counts
SELECT campaign_id, building_id, floor, COUNT(*), SUM(is_final) FROM door_status GROUP BY campaign_id, building_id, floor;

-- Records received per volunteer per day (the campaign's local day, as days
-- since 1970-01-01, by the campaign's UTC offset when they arrived).
CREATE TABLE volunteer_days (
    campaign_id  TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    day          BIGINT NOT NULL,
    records      BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, volunteer_id, day)
);
-- (Each campaign's offset read once: its bundle holds its whole territory.)
WITH offsets AS MATERIALIZED (SELECT id, COALESCE(CAST(CAST(bundle AS json) -> 'campaign' -> 'settings' ->> 'utc_offset_minutes' AS BIGINT), 0) * 60000 AS offset_ms FROM campaigns)
INSERT INTO volunteer_days
SELECT r.campaign_id, r.received_from, (r.received_at + o.offset_ms) / 86400000, COUNT(*)
FROM records r JOIN offsets o ON o.id = r.campaign_id
GROUP BY 1, 2, 3;

-- Revisits are listed appointments first (soonest first), then the others
-- by door: both from this index, without sorting every revisit.
DROP INDEX door_status_revisits;
CREATE INDEX door_status_revisits ON door_status (campaign_id, is_final, come_back_at, door_id);

-- Today's records per volunteer are read from volunteer_days: the index over
-- every record's arrival (migration 0009) only slowed storing.
DROP INDEX records_by_arrival;
