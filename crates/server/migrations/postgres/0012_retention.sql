-- Retention: when a coordinator closed the campaign, and when the server
-- erased its personal data (`retention::erase_personal_data`). The bundle
-- says the same for phones and the console; these columns let the hourly
-- pass find the campaigns due without reading every bundle.
ALTER TABLE campaigns ADD COLUMN closed_at BIGINT;
ALTER TABLE campaigns ADD COLUMN erased_at BIGINT;
