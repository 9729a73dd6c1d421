-- Keep billing distributable by tenant_id (docs/scaling.md; tenant-keys.test.ts): every key of a tenant table leads
-- with tenant_id. The plan a tenant is assigned is checked where it is written (billing_plan_assignment rows are
-- made from billing_plan in the same statement), and invoice numbers are unique platform-wide by construction: one
-- counter row, incremented in the finalizing transaction (billing_invoice_counter), beside the per-tenant unique key.
alter table billing_plan_assignment drop constraint billing_plan_assignment_plan_fkey;
drop index invoice_global_number_key;
