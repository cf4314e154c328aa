-- staging.int_record_references: Every reference to a numbered record that an issue's or
--   incident's title or text holds (staging.stg_issues): '#N' or '!N', with the path of the
--   repository (owner/repo, group/subgroup/project) written before it when there is one. N has
--   at most 9 digits and ends at a word boundary: '#2147483648' (a pager ticket) or
--   'view#1699999999999' (a log URL) is no reference, and never overflows the integer. The one
--   place references are read: what a marker means is the reader's (marts.incidents: a change
--   request, by each source's reference_marker; the behavioural proxies: an issue;
--   staging.int_duplicate_incidents: the issue an incident tool's incident is recorded as).
-- grain: one row per (source, repo, number, marker, ref_repo, ref_number)
-- materialized: table
-- columns:
--   source: the record's source
--   repo: the record's repository or incident-tool service
--   number: the record's number
--   marker: '#' or '!'
--   ref_repo: the repository path written before the marker; NULL for a bare reference (#N)
--   ref_number: the referenced number
with issues as (
    select * from staging.stg_issues
),

found as (
    select source, repo, number,
        unnest(regexp_extract_all(
            coalesce(title, '') || ' ' || coalesce(body, ''),
            '(?:(?:[A-Za-z0-9_.-]+/)+[A-Za-z0-9_.-]+)?[#!][0-9]{1,9}\b'
        )) as reference
    from issues
)

select distinct
    source,
    repo,
    number,
    regexp_extract(reference, '[#!]') as marker,
    nullif(regexp_extract(reference, '^(.*)[#!]', 1), '') as ref_repo,
    cast(regexp_extract(reference, '[#!]([0-9]+)$', 1) as integer) as ref_number
from found
