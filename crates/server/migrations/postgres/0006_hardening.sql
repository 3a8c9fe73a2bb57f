-- Sessions end: after a while unused, and after a while in all. The phone a
-- volunteer's session is bound to (at join, or at its first push for
-- sessions from before this migration), and the identity its records
-- carried before it joined, which its pushes may still name.
ALTER TABLE sessions ADD COLUMN last_used_at BIGINT;
ALTER TABLE sessions ADD COLUMN device_id TEXT;
ALTER TABLE sessions ADD COLUMN local_volunteer_id TEXT;
-- Sessions open before this migration count as used now, so that none ends
-- the moment the server is upgraded.
UPDATE sessions SET last_used_at = CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT);
ALTER TABLE coordinator_sessions ADD COLUMN last_used_at BIGINT;
UPDATE coordinator_sessions SET last_used_at = created_at;

-- A removed coordinator keeps their name on what they handled, and nothing else.
ALTER TABLE coordinators ADD COLUMN removed_at BIGINT;

-- Join codes are kept as their SHA-256 from now on; the server rewrites the
-- plaintext codes of earlier versions when it opens the database.

-- A door's records, read when a fever reading or a household arrives (does
-- the register hold the person the reading names?).
CREATE INDEX records_by_door ON records (campaign_id, door_id);

-- A fever reading for a person no household record names yet is held, not
-- shown: it is raised when the household naming that person arrives.
ALTER TABLE alerts ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
CREATE INDEX alerts_held ON alerts (campaign_id, held);
