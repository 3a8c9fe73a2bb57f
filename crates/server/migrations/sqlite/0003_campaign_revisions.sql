-- A campaign's revision, bumped on every change, so a pull can tell a phone
-- whose copy is older (the bundle JSON carries the same number).
ALTER TABLE campaigns ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
