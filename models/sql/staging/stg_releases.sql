-- staging.stg_releases: Conformed releases of every source, for repositories whose deployment
--   signal is release. Generated union by name of each source's stg_<source>_releases.
-- grain: one row per (source, repo, release_id)
-- materialized: view
-- conformed: releases
-- columns:
--   source: where the release comes from: github (later gitlab)
--   author_login: the source's account name of whoever created the release
select source, repo, release_id, tag_name, name, is_draft, is_prerelease, sha, author_login,
    created_at, published_at
from per_source
