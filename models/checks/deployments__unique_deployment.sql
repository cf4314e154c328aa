-- marts.deployments: every (source, repo, deployment_id) appears once
select source, repo, deployment_id, count(*) as rows
from marts.deployments
group by source, repo, deployment_id
having count(*) > 1
