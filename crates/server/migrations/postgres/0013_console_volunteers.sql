-- A coordinator who voids a record in the console signs it as a volunteer
-- of the campaign of their own (records name who made them, and every
-- record is stored through the same writer). 1 marks such a row: it is
-- never listed, invited, assigned or revoked, and has no phone.
ALTER TABLE volunteers ADD COLUMN console INTEGER NOT NULL DEFAULT 0;
