-- marts.changes: lead time and its components are never negative (negative spans are NULL and flagged)
select repo, kind, pr_number, sha, lead_time_hours, coding_hours, pickup_hours, review_hours,
    deploy_hours
from marts.changes
where lead_time_hours < 0
    or coding_hours < 0
    or pickup_hours < 0
    or review_hours < 0
    or deploy_hours < 0
