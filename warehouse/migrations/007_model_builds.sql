-- Migration 007: what each model was last built from.
--
-- A nightly run with nothing new upstream rebuilt every model; now a model whose definition and
-- inputs are unchanged since its last build is kept as it is (models/build_state.py). This table
-- records, per model, the fingerprint of what it was built from and the rows it had.
create table if not exists meta.model_builds (
    model varchar primary key,
    inputs_fingerprint varchar not null,
    rows bigint not null,
    built_at timestamptz not null
);
comment on table meta.model_builds is 'One row per SQL model: the fingerprint of its definition and of every table it read when it was last built (models/build_state.py), its row count then, and when. A model whose fingerprint is unchanged is not rebuilt; --full-refresh rebuilds every model.';
comment on column meta.model_builds.model is 'The model''s warehouse name, schema.table.';
comment on column meta.model_builds.inputs_fingerprint is 'SHA-256 over the model''s SQL and documentation and, per table it reads, that model''s own fingerprint or a content hash of the raw or meta table.';
comment on column meta.model_builds.rows is 'Rows of the model when it was built (a view: rows it computed then).';
comment on column meta.model_builds.built_at is 'When the model was last built.';
