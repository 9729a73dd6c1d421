-- Address keys are machine keys (normalized upper-case text), compared for equality only: byte order ("C") is the
-- right collation, and its comparisons are cheaper than the database's linguistic default on every imported row.
alter table property alter column address_key type text collate "C";
