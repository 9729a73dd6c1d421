-- Scoring writes a million rows at a time, and the two foreign keys of property_score cost 20 of the 27 seconds
-- that write took (one trigger call per row each). The scoring service is the only writer: it reads the property
-- ids from the storm and the model from the registry inside the same transaction, so the references are checked
-- where they are made. Properties and models are never deleted one by one (tenants go as a whole).
alter table property_score drop constraint property_score_property_fkey;
alter table property_score drop constraint property_score_model_fkey;
