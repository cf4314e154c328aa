-- staging.stg_deployments: Conformed deployments of every source to every environment, as
--   fetched: requests to deploy a commit; whether and when each finished is in
--   stg_deployment_statuses. Generated union by name of each source's stg_<source>_deployments.
-- grain: one row per (source, repo, deployment_id)
-- materialized: view
-- conformed: deployments
-- columns:
--   source: where the deployment comes from: github (later gitlab)
--   repo: repository (or project) full name
--   deployment_id: the source's deployment id, unique within (source, repo)
--   environment: environment name as the source reports it (case kept; the production rule
--     in meta.team_repos decides which names count as production)
--   creator_login: the source's account name of whoever created the deployment
select source, repo, deployment_id, environment, sha, ref, task, creator_login, created_at
from per_source
