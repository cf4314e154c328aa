"""Deployments of a repository that deploys by publishing GitHub releases.

GET /repos/{o}/{r}/releases has no `since` and releases change after creation (a draft is
published, a prerelease promoted), so the whole list is read on each sync, conditionally: an
unchanged list is answered 304 at no rate-limit cost. Every release is stored; SQL decides
which are deployments (int_production_deployment_attempts): published, not a draft, not a
prerelease, tag matching the rule, deployed sha = the tag's commit, finished at `published_at`.

The tag's commit is not in the release: `target_commitish` is usually a branch name, the
branch the tag was cut from, which has moved on since. For each release that can be a
deployment the connector asks GET /repos/{o}/{r}/git/ref/tags/{tag}; an annotated tag answers
with a tag object, followed by GET .../git/tags/{sha} to its commit. A resolved tag is kept in
the cursor and not asked again. A repository's releases are one chain (`release`), ordered by
publication, with change sets from compare as for every other signal.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from github.Requester import Requester

from connectors.github import normalize_signals
from connectors.github.deployment_cursor import PendingDeployment
from connectors.github.deployments import RESOURCE, add_change_set, retry_unknown_change_sets
from connectors.github.paging import RequestCounter, fetch_list, fetch_object
from connectors.github.progress import CHUNK_DEPLOYMENTS, RepoProgress
from connectors.github.records import Cursor, Release
from connectors.github.settings import SOURCE
from connectors.github.shape import MalformedObject, reading
from connectors.github.signal_cursor import SignalCursor, written_by
from connectors.github.signals import RELEASE_ENVIRONMENT, Re2Rule, RepoSignal

SIGNAL = "release"
MAX_TAG_HOPS = 5
"""Annotated tags may point at tags; more hops than this is refused as a loop."""


def is_candidate(release: Release, tag_rule: Re2Rule) -> bool:
    """A release that can be a deployment: published, not a prerelease, tag matching."""
    return (
        not release.draft
        and not release.prerelease
        and release.published_at is not None
        and tag_rule.matches(release.tag_name)
    )


def sync_releases(
    requester: Requester,
    progress: RepoProgress,
    previous: Cursor | None,
    signal: RepoSignal,
    counter: RequestCounter,
) -> Cursor:
    """Add the repo's releases (tag commits resolved) and their change sets to `progress`;
    return the cursor of the finished pass (the caller checkpoints it).

    Chunked, the pass is committed every `CHUNK_DEPLOYMENTS` tags resolved and every
    `CHUNK_DEPLOYMENTS` change sets, with a cursor of the tags resolved and the chain so far and
    no list ETag (the whole list is read again; resolved tags and chained releases are skipped).
    """
    repo = progress.repo
    tag_rule = Re2Rule(
        signal.tag_regex or "", f"rules.repo_rules.{repo}.deployments.tag_regex", repo
    )
    state = SignalCursor.from_json(previous.cursor if previous else None, SIGNAL)
    # An ETag of the list is worth sending only if this signal stored the releases it covers.
    same_signal = previous is not None and written_by(previous.cursor, SIGNAL)
    listed = fetch_list(
        requester,
        f"/repos/{repo}/releases",
        counter,
        params={"per_page": requester.per_page},
        etag=previous.etag if previous and same_signal else None,
    )
    with reading(listed.path):
        releases = [normalize_signals.release(repo, raw) for raw in listed.items]
    chain = state.chain
    retry_unknown_change_sets(requester, progress.batch, chain, counter)

    def checkpoint() -> None:
        progress.checkpoint(Cursor(source=SOURCE, scope=repo, resource=RESOURCE,
                                   cursor=state.to_json(), etag=None), finished=False)

    deployments, resolved_now = [], 0
    for release in releases:
        if is_candidate(release, tag_rule):
            sha = state.resolved.get(release.release_id)
            if sha is None:
                sha = resolve_tag(requester, repo, release.tag_name, counter)
                state.resolved[release.release_id] = sha
                resolved_now += 1
            release = replace(release, sha=sha)
            deployments.append(release)
        progress.batch.releases.append(release)
        if resolved_now == CHUNK_DEPLOYMENTS:
            checkpoint()
            resolved_now = 0

    ordered = sorted(deployments, key=lambda r: (r.published_at, r.release_id))
    for position, release in enumerate(ordered, start=1):
        base = chain.last_success.get(RELEASE_ENVIRONMENT)
        if base is not None and (release.published_at, release.release_id) <= (
            base.at, base.deployment_id
        ):
            continue  # chained by an earlier sync, or published before the chain's latest
        deployment = PendingDeployment(release.release_id, RELEASE_ENVIRONMENT, release.sha)
        add_change_set(requester, progress.batch, chain, deployment, release.published_at,
                       counter)
        if position % CHUNK_DEPLOYMENTS == 0 and position < len(ordered):
            checkpoint()
    return Cursor(
        source=SOURCE, scope=repo, resource=RESOURCE, cursor=state.to_json(), etag=listed.etag
    )


def resolve_tag(requester: Requester, repo: str, tag: str, counter: RequestCounter) -> str:
    """The commit sha tag `tag` points to (annotated tags followed to their commit)."""
    path = f"/repos/{repo}/git/ref/tags/{quote(tag, safe='/')}"
    kind = "ref"
    for _ in range(MAX_TAG_HOPS):
        with reading(path):
            kind, sha = normalize_signals.tag_object(fetch_object(requester, path, counter), kind)
            if kind == "commit":
                return sha.lower()
            if kind != "tag":
                raise MalformedObject(f"tag {tag!r} points to a {kind}, not a commit")
        path = f"/repos/{repo}/git/tags/{sha}"
    raise MalformedObject(f"tag {tag!r} is nested more than {MAX_TAG_HOPS} tags deep")

