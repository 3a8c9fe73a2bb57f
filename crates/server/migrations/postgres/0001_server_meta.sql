-- Facts about this server instance. Later migrations add the campaign tables.
-- (PostgreSQL twin of ../sqlite/0001; the two folders stay in step.)
CREATE TABLE server_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

INSERT INTO server_meta (key, value) VALUES ('created_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
