-- How a volunteer's phone keeps its data, as it last reported: running as an
-- installed app (Home Screen, standalone) and with persistent storage
-- granted. A phone with neither can lose unsent records to the browser
-- (Safari deletes a site's storage after seven days without a visit).
-- 1 or 0; NULL: never reported (an older app).
ALTER TABLE volunteers ADD COLUMN installed BIGINT;
ALTER TABLE volunteers ADD COLUMN persisted BIGINT;
