-- Each phone's ECDSA P-256 public key (made on the phone; its private half
-- never leaves it), registered when it joins or with its first push, and
-- the volunteer ids its records may name. A record another phone relays is
-- stored only if its signature checks against the key of the phone named.
CREATE TABLE device_keys (
    campaign_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    local_volunteer_id TEXT,
    public_key TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, device_id)
);
