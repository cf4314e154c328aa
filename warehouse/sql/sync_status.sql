-- Sync health per repository and resource in meta.sync_status (warehouse/sync_status.py).

-- name: record_success
-- In the transaction of the batch: the resource is stored as of $at.
insert into meta.sync_status as old
    (source, scope, resource, last_attempt_at, last_success_at, last_error, consecutive_failures)
values ($source, $scope, $resource, $at, $at, null, 0)
on conflict (source, scope, resource) do update set
    last_attempt_at = excluded.last_attempt_at,
    last_success_at = excluded.last_success_at,
    last_error = null,
    consecutive_failures = 0;

-- name: record_failure
-- In a transaction of its own: the last success (if any) is kept, the failure counted.
insert into meta.sync_status as old
    (source, scope, resource, last_attempt_at, last_success_at, last_error, consecutive_failures)
values ($source, $scope, $resource, $at, null, $error, 1)
on conflict (source, scope, resource) do update set
    last_attempt_at = excluded.last_attempt_at,
    last_error = excluded.last_error,
    consecutive_failures = old.consecutive_failures + 1;

-- name: read_status
select source, scope, resource, last_attempt_at, last_success_at, last_error,
       consecutive_failures
from meta.sync_status
where source = $source
order by scope, resource;

-- name: failures_of_attempt
-- One row per scope that failed in the attempt started at $at (its resources fail together).
select scope, min(last_error) as last_error, max(last_success_at) as last_success_at,
       max(consecutive_failures) as consecutive_failures
from meta.sync_status
where source = $source and last_attempt_at = $at and last_error is not null
group by scope
order by scope;
