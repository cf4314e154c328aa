-- marts.incidents: no team has more than half of its incidents (at least 10, near misses aside) linked to no deployment; past that its change failure rate likely misses failures: name the change in incidents (a sha or owner/repo#N), or check that its repositories and services are the ones it deploys and pages on
-- severity: warn
select team, source, count(*) as incidents,
    count(*) filter (where linked_deployment_id is null) as unlinked,
    round(count(*) filter (where linked_deployment_id is null) / count(*), 3) as unlinked_share
from marts.incidents
where not is_near_miss and duplicate_of_id is null
group by team, source
having count(*) >= 10 and count(*) filter (where linked_deployment_id is null) > count(*) / 2
