-- staging.stg_roster: Team rosters as declared in candor.yaml (meta.team_members), one row per
--   member identity in each source. The whole roster counts in the review participation
--   proxy: a member with no activity is a zero, not missing. The roster is today's
--   configuration for every month (joiners and leavers are not prorated).
-- grain: one row per (team, source, login)
-- materialized: view
-- columns:
--   team: team name as declared under teams: in candor.yaml
--   source: which system the login belongs to: github (later gitlab, pagerduty)
--   login: the member's account name in that source
with source as (
    select team, source, login from meta.team_members
)

select * from source
