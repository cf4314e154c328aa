-- marts.deployments: no failed deployment has a negative recovery time (negative spans are NULL)
select repo, deployment_id, recovery_hours
from marts.deployments
where recovery_hours < 0
