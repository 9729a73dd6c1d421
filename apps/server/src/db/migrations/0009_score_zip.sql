-- The ZIP of each scored property, written by scoring beside its uplift. Applying a policy stratifies by predicted
-- uplift decile x ZIP; with the ZIP here it reads property_score alone instead of joining the million-row property
-- table (about 1 s of a 1,000,000-property apply). A later import that changes a ZIP is picked up by rescoring.
alter table property_score add column zip text;

update property_score s set zip = p.zip
from property p
where p.tenant_id = s.tenant_id and p.property_id = s.property_id;
