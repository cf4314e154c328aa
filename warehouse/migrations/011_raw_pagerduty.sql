-- Migration 011: the PagerDuty source's raw tables (connectors/pagerduty/).
--
-- One PagerDuty account per configuration; every row carries the account's label
-- (sources.pagerduty.account), the scope a full refresh replaces. Rows are stored as
-- PagerDuty answered them: no rule of what an incident means is applied here.

create table if not exists raw.pagerduty_services (
    account     varchar     not null,
    service_id  varchar     not null,
    name        varchar,
    team_ids    varchar[],
    status      varchar,
    created_at  timestamptz,
    payload     json,
    primary key (account, service_id)
);
comment on table raw.pagerduty_services is 'PagerDuty services of the account (GET /services), read whole at every sync; candor.yaml says which team owns each (teams[].services.pagerduty).';
comment on column raw.pagerduty_services.account is 'Label of the PagerDuty account (sources.pagerduty.account): the sync''s scope.';
comment on column raw.pagerduty_services.service_id is 'PagerDuty service id, e.g. PIJ90N7.';
comment on column raw.pagerduty_services.name is 'Service name as shown in PagerDuty.';
comment on column raw.pagerduty_services.team_ids is 'Ids of the PagerDuty teams the service belongs to in PagerDuty (not Candor''s ownership, which candor.yaml sets).';
comment on column raw.pagerduty_services.status is 'active, warning, critical, maintenance or disabled.';
comment on column raw.pagerduty_services.created_at is 'When the service was created (UTC).';
comment on column raw.pagerduty_services.payload is 'The service as PagerDuty answered it (JSON).';

create table if not exists raw.pagerduty_incidents (
    account               varchar     not null,
    incident_id           varchar     not null,
    incident_number       bigint      not null,
    service_id            varchar     not null,
    title                 varchar,
    status                varchar     not null,
    urgency               varchar,
    priority              varchar,
    incident_key          varchar,
    created_at            timestamptz not null,
    updated_at            timestamptz,
    last_status_change_at timestamptz,
    resolved_at           timestamptz,
    payload               json,
    primary key (account, incident_id)
);
comment on table raw.pagerduty_incidents is 'PagerDuty incidents of every service of the account (GET /incidents in since/until windows of at most 180 days, split further past 10,000 records); an incident open at a sync is read again by id at the next until it is resolved, and the latest answer replaces the row.';
comment on column raw.pagerduty_incidents.account is 'Label of the PagerDuty account (sources.pagerduty.account).';
comment on column raw.pagerduty_incidents.incident_id is 'PagerDuty incident id.';
comment on column raw.pagerduty_incidents.incident_number is 'The incident''s number in the account (#1234), in creation order.';
comment on column raw.pagerduty_incidents.service_id is 'The service the incident was raised on (raw.pagerduty_services).';
comment on column raw.pagerduty_incidents.title is 'Incident title; references to changes (a sha, !MR, #PR) are read from it and from the notes.';
comment on column raw.pagerduty_incidents.status is 'triggered, acknowledged or resolved, at the last read.';
comment on column raw.pagerduty_incidents.urgency is 'high or low.';
comment on column raw.pagerduty_incidents.priority is 'Priority name (P1..P5); NULL when the account has priorities off or none was set.';
comment on column raw.pagerduty_incidents.incident_key is 'De-duplication key of the alert that opened it.';
comment on column raw.pagerduty_incidents.created_at is 'When the incident was triggered (UTC); the since/until windows filter on it.';
comment on column raw.pagerduty_incidents.updated_at is 'Last change of the incident (UTC).';
comment on column raw.pagerduty_incidents.last_status_change_at is 'When the status last changed (UTC): the resolution time of a resolved incident whose answer lacks resolved_at; never a resolution for an unresolved one.';
comment on column raw.pagerduty_incidents.resolved_at is 'When it was resolved (UTC), as answered; NULL while open and in older answer shapes, which lack the field.';
comment on column raw.pagerduty_incidents.payload is 'The incident as PagerDuty answered it (JSON).';

create table if not exists raw.pagerduty_log_entries (
    account      varchar     not null,
    log_entry_id varchar     not null,
    incident_id  varchar     not null,
    service_id   varchar,
    entry_type   varchar     not null,
    created_at   timestamptz not null,
    agent_type   varchar,
    agent_id     varchar,
    channel_type varchar,
    note         varchar,
    payload      json,
    primary key (account, log_entry_id)
);
comment on table raw.pagerduty_log_entries is 'The overview log entries of the account''s incidents (GET /log_entries?is_overview=true in since/until windows on the entry''s time): who triggered, acknowledged, annotated and resolved each incident, and when.';
comment on column raw.pagerduty_log_entries.account is 'Label of the PagerDuty account (sources.pagerduty.account).';
comment on column raw.pagerduty_log_entries.log_entry_id is 'PagerDuty log entry id.';
comment on column raw.pagerduty_log_entries.incident_id is 'The incident the entry belongs to (raw.pagerduty_incidents).';
comment on column raw.pagerduty_log_entries.service_id is 'The incident''s service.';
comment on column raw.pagerduty_log_entries.entry_type is 'trigger, acknowledge, unacknowledge, annotate, resolve, ... (PagerDuty''s type without _log_entry).';
comment on column raw.pagerduty_log_entries.created_at is 'When it happened (UTC).';
comment on column raw.pagerduty_log_entries.agent_type is 'Who did it: user_reference (a person), service_reference (the service itself, e.g. a timeout) or an *integration_reference (monitoring).';
comment on column raw.pagerduty_log_entries.agent_id is 'Id of the user, service or integration that did it.';
comment on column raw.pagerduty_log_entries.channel_type is 'How: api, email, web_trigger, website, note, auto, timeout, ...';
comment on column raw.pagerduty_log_entries.note is 'An annotation''s text; NULL for other entries.';
comment on column raw.pagerduty_log_entries.payload is 'The log entry as PagerDuty answered it (JSON).';
