-- staging.int_team_freshness: How fresh each team's data is, for the DORA marts to show beside
--   every number: the oldest last successful sync over the team's repositories and which of
--   them are stale (marts.source_freshness).
-- grain: one row per team in meta.team_repos
-- materialized: view
-- columns:
--   team: team name
--   data_synced_at: oldest last successful sync of the team's repositories (UTC): every
--     figure of the row rests on data at least this fresh; NULL when a repository never synced
--   stale_repos: the team's repositories whose data is stale (marts.source_freshness), sorted;
--     empty when all are fresh
with freshness as (
    select * from marts.source_freshness
)

select
    team,
    case when bool_and(last_success_at is not null) then min(last_success_at) end
        as data_synced_at,
    coalesce(list_sort(list(repo) filter (where is_stale)), []) as stale_repos
from freshness
group by team
