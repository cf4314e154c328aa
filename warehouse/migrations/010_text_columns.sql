-- Migration 010: pull request and review comment bodies as columns.
--
-- The staging views read each body out of the JSON payload (`payload ->> 'body'`), and a view
-- is computed again by every model that reads it: at 10x the demo that one extraction was about
-- 0.16 s a time over 20,000 pull requests of 5.7 kB each. The connector now writes the body
-- into its own column when it stores a record, as it always has for issues; existing rows get
-- theirs from the payload they were stored with.
alter table raw.github_pull_requests add column body varchar;
update raw.github_pull_requests set body = payload ->> 'body';
alter table raw.github_review_comments add column body varchar;
update raw.github_review_comments set body = payload ->> 'body';

comment on column raw.github_pull_requests.body is 'The description as written (Markdown; NULL when empty), the payload''s body.';
comment on column raw.github_review_comments.body is 'The comment as written (Markdown), the payload''s body.';
