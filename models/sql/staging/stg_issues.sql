-- staging.stg_issues: Conformed issues and incident signals of every source (today GitHub
--   issues; GitLab issues and PagerDuty incidents later), so the incident rules and the
--   behavioural proxies never read a source's own tables. Columns a source cannot fill
--   (priority, urgency, customer impact: incident-tool fields) are NULL in its rows.
--   Generated union by name of each source's stg_<source>_issues.
-- grain: one row per (source, repo, number)
-- materialized: view
-- conformed: issues
-- columns:
--   source: where the record comes from: github (later gitlab, pagerduty)
--   repo: repository (or project / service) the record belongs to; owner/name on GitHub
--   number: the record's number within repo
--   title: title
--   body: description text; references to other records (#N, owner/repo#N) are read from it
--   author_login: the source's account name of whoever opened it
--   labels: label names as the source reports them (case kept)
--   priority: incident-tool priority name (e.g. P5); NULL when the source has none (GitHub)
--   urgency: incident-tool urgency (e.g. low); NULL when the source has none (GitHub)
--   customer_impact: true when the source says customers were affected, false when it says
--     they were not; NULL when the source cannot say (GitHub)
--   created_at: when it was opened (UTC)
--   closed_at: when it was closed (UTC); NULL while open
select source, repo, number, title, body, author_login, labels, priority, urgency,
    customer_impact, created_at, closed_at
from per_source
