-- marts.incidents: no incident closes before it was created
select repo, number, created_at, closed_at, time_to_restore_hours
from marts.incidents
where time_to_restore_hours < 0
