-- The property import is the only writer of property rows, and a foreign key checked each one with a trigger call:
-- about a quarter of the insert time of a million-row import on server Postgres. The import locks the storm row
-- (FOR UPDATE) in its own transaction before writing and writes only that storm's id, so the reference is checked
-- where it is made, as scoring does for property_score (0007). Storms are never deleted one by one (they are closed
-- or cancelled; tenants go as a whole), so the cascade this key carried had nothing to do.
alter table property drop constraint property_storm_fkey;
