-- Migration 012: which team owns which incident-tool service (PagerDuty today).
--
-- Incidents belong to a service, not a repository: candor.yaml names each team's services
-- (teams[].services.pagerduty), and this table carries that to the SQL models, as
-- meta.team_repos carries repositories. A service no team lists is unowned: its incidents are
-- surfaced by a check, never given to a team by guess.
create table if not exists meta.team_services (
    team        varchar not null,
    source      varchar not null,
    account     varchar not null,
    service_id  varchar not null,
    primary key (source, account, service_id)
);
comment on table meta.team_services is 'Which team owns which incident-tool service (teams[].services in candor.yaml); a service belongs to one team. Written from candor.yaml at each run.';
comment on column meta.team_services.team is 'Team name, as in meta.team_repos.';
comment on column meta.team_services.source is 'The incident tool: pagerduty.';
comment on column meta.team_services.account is 'The account the service is in (sources.pagerduty.account): the sync scope whose freshness the service''s data has.';
comment on column meta.team_services.service_id is 'The service''s id in the tool, e.g. PIJ90N7.';
