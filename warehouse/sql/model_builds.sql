-- What each model was last built from, in meta.model_builds (models/build_state.py).

-- name: last_build
select inputs_fingerprint, rows, definition_fingerprint
from meta.model_builds
where model = $model;

-- name: record_build
insert or replace into meta.model_builds
    (model, inputs_fingerprint, rows, built_at, definition_fingerprint)
values ($model, $inputs_fingerprint, $rows, current_timestamp, $definition_fingerprint);

-- name: record_kept_view
-- A view kept over new inputs: what it now reads is recorded (its dependants see the change);
-- it was not built again, so built_at and the rows it had then stay.
update meta.model_builds
set inputs_fingerprint = $inputs_fingerprint
where model = $model;

-- name: all_builds
-- Every model's last build, read once for a pass over the models.
select model, inputs_fingerprint, rows, definition_fingerprint
from meta.model_builds;
