-- Migration 009: what each model is, apart from its rows.
--
-- A view holds no rows: built again from the same definition over new rows it is the same view,
-- so a nightly run with new activity need not re-create it nor compute it over every row to
-- check it (models/build_state.py). meta.model_builds gains the fingerprint of the definition
-- alone; a view kept on it has its new inputs recorded, and its rows are not recounted.
alter table meta.model_builds add column definition_fingerprint varchar;

comment on column meta.model_builds.definition_fingerprint is 'SHA-256 over the model''s SQL and documentation and, per object it reads, that model''s own definition fingerprint or the columns of the raw or meta table: what the object is, whatever the rows. NULL for a model last built before migration 009, or a row that is not a SQL model.';
