-- marts.source_freshness: every configured repository synced successfully within rules.stale_after_hours
select team, source, repo, last_success_at, last_error
from marts.source_freshness
where is_stale
