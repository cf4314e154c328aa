-- What a reader is told about the file it reads (warehouse/reading.py).

-- name: latest_sync
-- When the newest data in the file was fetched: the latest sync of any repository and resource.
select max(synced_at) from meta.sync_state;
