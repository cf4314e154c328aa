-- marts.incidents: every incident tool's incident is on a service a team owns (teams[].services in candor.yaml); the incidents of an unowned service belong to no team and are in no mart
-- severity: warn
with owners as (
    select source, repo from staging.stg_scope_owners
)

select issues.source, issues.repo as service, count(*) as incidents,
    min(issues.created_at) as first_created_at, max(issues.created_at) as last_created_at
from staging.stg_issues as issues
left join owners on owners.source = issues.source and owners.repo = issues.repo
where issues.is_incident and owners.repo is null
group by issues.source, issues.repo
