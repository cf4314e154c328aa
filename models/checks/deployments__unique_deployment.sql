-- marts.deployments: every (repo, deployment_id) appears once
select repo, deployment_id, count(*) as rows
from marts.deployments
group by repo, deployment_id
having count(*) > 1
