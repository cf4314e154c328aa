-- marts.changes: every change belongs to a successful production deployment
-- (staging.int_production_deployments holds exactly the deployments of marts.deployments and is
-- built before marts.changes, so this check can run as soon as the changes are built)
select changes.source, changes.repo, changes.kind, changes.pr_number, changes.sha,
    changes.deployment_id
from marts.changes
left join staging.int_production_deployments as deployments
    on deployments.source = changes.source
    and deployments.repo = changes.repo
    and deployments.deployment_id = changes.deployment_id
where deployments.deployment_id is null
