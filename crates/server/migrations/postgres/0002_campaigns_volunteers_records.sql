-- Campaigns as the phones load them (the bundle: campaign, forms, doors).
CREATE TABLE campaigns (
    id         TEXT PRIMARY KEY NOT NULL,
    bundle     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE volunteers (
    id          TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- One-time codes a coordinator hands out; joining uses the code up.
CREATE TABLE join_codes (
    code         TEXT PRIMARY KEY NOT NULL,
    volunteer_id TEXT NOT NULL REFERENCES volunteers (id),
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT
);

-- Sessions are held in an HttpOnly cookie; only the token's hash is stored.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    volunteer_id TEXT NOT NULL REFERENCES volunteers (id),
    created_at   BIGINT NOT NULL
);

-- Records exactly as pushed. `seq` orders them for pull cursors.
CREATE TABLE records (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    campaign_id   TEXT NOT NULL REFERENCES campaigns (id),
    door_id       TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    device_seq    BIGINT NOT NULL,
    received_from TEXT NOT NULL REFERENCES volunteers (id),
    content_hash  TEXT NOT NULL,
    body          TEXT NOT NULL,
    received_at   BIGINT NOT NULL
);

CREATE INDEX records_by_campaign ON records (campaign_id, seq);
