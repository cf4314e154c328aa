-- Migration 006: person-first rosters.
--
-- `members:` in candor.yaml lists people, each with an account name per source ({name, github,
-- gitlab, pagerduty}); the short form {github: [logins]} makes each login one person. The
-- roster proxies count people: one member with a GitHub and a GitLab login is one value of the
-- review participation vector. meta.team_members keeps one row per account and now says whose.
alter table meta.team_members add column if not exists member varchar;
comment on column meta.team_members.member is 'The person the account belongs to: the member''s name under teams: members: in candor.yaml (the login itself in the short form). Rosters count distinct members.';
