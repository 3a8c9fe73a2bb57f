-- Coordinators sign in with a one-time login link and hold their own
-- session cookie; each runs the campaigns listed for them.
CREATE TABLE coordinators (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE coordinator_campaigns (
    coordinator_id TEXT NOT NULL REFERENCES coordinators (id),
    campaign_id    TEXT NOT NULL REFERENCES campaigns (id),
    PRIMARY KEY (coordinator_id, campaign_id)
);

CREATE TABLE coordinator_logins (
    code           TEXT PRIMARY KEY NOT NULL,
    coordinator_id TEXT NOT NULL REFERENCES coordinators (id),
    expires_at     INTEGER NOT NULL,
    used_at        INTEGER
);

CREATE TABLE coordinator_sessions (
    token_hash     TEXT PRIMARY KEY NOT NULL,
    coordinator_id TEXT NOT NULL REFERENCES coordinators (id),
    created_at     INTEGER NOT NULL
);

-- A revoked volunteer's sessions are deleted and they cannot join again.
ALTER TABLE volunteers ADD COLUMN revoked_at INTEGER;
-- What the volunteer's phone last reported when it reached the server.
ALTER TABLE volunteers ADD COLUMN last_seen_at INTEGER;
ALTER TABLE volunteers ADD COLUMN unsent_count INTEGER;
ALTER TABLE volunteers ADD COLUMN oldest_unsent_at INTEGER;

-- Overdue checks are computed, not stored; a coordinator handling one is.
CREATE TABLE overdue_handled (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    alert_id    TEXT NOT NULL,
    handled_by  TEXT NOT NULL,
    handled_at  INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, alert_id)
);
