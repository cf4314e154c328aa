-- Team reference data written from candor.yaml at each run (warehouse/reference.py).

-- name: clear_team_reference
delete from meta.team_repos;
delete from meta.team_members;
delete from meta.settings;
delete from meta.repo_deployment_signals;
delete from meta.team_services;
