-- staging.stg_roster: Team rosters as declared in candor.yaml (meta.team_members), one row per
--   account of each member in each source. Rosters count people (member), not accounts: a
--   member with a GitHub and a GitLab login is one person. The whole roster counts in the
--   review participation proxy: a member with no activity is a zero, not missing. The roster
--   is today's configuration for every month (joiners and leavers are not prorated).
-- grain: one row per (team, source, login)
-- materialized: view
-- columns:
--   team: team name as declared under teams: in candor.yaml
--   member: the person the account belongs to (the member's name in candor.yaml; the login
--     itself in the short form, or for a row written before rosters named people)
--   source: which system the login belongs to: github (later gitlab, pagerduty)
--   login: the member's account name in that source
with source as (
    select team, member, source, login from meta.team_members
)

select
    team,
    coalesce(member, source || ':' || login) as member,
    source,
    login
from source
