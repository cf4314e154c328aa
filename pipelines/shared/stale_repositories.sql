-- The configured repositories whose data is stale, as marts.source_freshness decides it (the one
-- place the staleness rule is applied), with when it was decided.
select repo, last_success_at, last_error, stale_after_hours, assessed_at
from marts.source_freshness
where is_stale
order by repo
