-- marts.changes: every change (a pull request, or a commit pushed without one) appears once
select source, repo, kind, pr_number, sha, count(*) as rows
from marts.changes
group by source, repo, kind, pr_number, sha
having count(*) > 1
