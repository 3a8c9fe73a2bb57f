-- Alerts raised by records as they arrive: a fever reading, a red health
-- code. One per (record, kind, person); a coordinator marks them handled.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL REFERENCES records (id),
    door_id     TEXT NOT NULL,
    person_id   TEXT NOT NULL,
    detail      TEXT NOT NULL,
    raised_at   INTEGER NOT NULL,
    handled_by  TEXT,
    handled_at  INTEGER,
    UNIQUE (record_id, kind, person_id)
);

CREATE INDEX alerts_by_campaign ON alerts (campaign_id, raised_at);

-- The buildings a volunteer works. A volunteer with none sees the whole
-- campaign; one with some sees only records (and so people) of those.
CREATE TABLE assignments (
    volunteer_id TEXT NOT NULL REFERENCES volunteers (id),
    building_id  TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, building_id)
);
