-- What each model was last built from, in meta.model_builds (models/build_state.py).

-- name: last_build
select inputs_fingerprint, rows
from meta.model_builds
where model = $model;

-- name: record_build
insert or replace into meta.model_builds (model, inputs_fingerprint, rows, built_at)
values ($model, $inputs_fingerprint, $rows, current_timestamp);
