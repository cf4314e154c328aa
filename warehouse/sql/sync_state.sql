-- Incremental sync cursors in meta.sync_state (warehouse/sync_state.py).

-- name: upsert_cursor
insert or replace into meta.sync_state (source, scope, resource, cursor, etag, synced_at)
values ($source, $scope, $resource, $cursor, $etag, current_timestamp);

-- name: read_cursors
select source, scope, resource, cursor, etag
from meta.sync_state
where source = $source
order by scope, resource;

-- name: reset_cursors
delete from meta.sync_state
where source = $source;

-- name: forget_scope
delete from meta.sync_state
where source = $source and scope = $scope;
