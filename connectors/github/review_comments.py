"""Review comments of one repository, from its repository-wide list.

`GET /repos/{o}/{r}/pulls/comments` lists the line comments of every pull request of the
repository, so a sync needs one request per 100 comments instead of one per pull request
(`GET /pulls/{n}/comments`, which cost a request for every PR read, most of them answering an
empty list). The PR a comment belongs to is the last segment of its `pull_request_url`.

Read as `sort=updated&direction=desc` down to the watermark (max `updated_at` of the comments
read last time), boundary included, like pull requests and issues. Newest first, because a
comment edited while the list is paged moves to page 1, already read: it is read on the next
run (its `updated_at` is above the watermark), while the rest shift down and are at worst read
twice, never skipped. The `since` filter is deliberately not sent: the first page must have the
same URL on every run for its saved ETag to match, so that a repository without new comments
answers 304 (free of rate-limit cost); reading down to the watermark costs the same pages.

Comments are read before the pull requests: a comment always belongs to a PR that already
existed, so every PR a read comment names is in the same batch's PR list.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from github.Requester import Requester

from connectors.github import normalize
from connectors.github.paging import RequestCounter, fetch_list
from connectors.github.records import Cursor, RepoBatch, ReviewComment
from connectors.github.settings import SOURCE
from connectors.github.shape import INTEGER_MAX, ApiObject, MalformedObject, reading
from connectors.github.watermark import advance, parse, updated_since

RESOURCE = "review_comments"

KIND = "review comment"

_PULL_PATH = re.compile(r"/pulls/(?P<number>[0-9]+)/?$")


def sync_review_comments(
    requester: Requester, batch: RepoBatch, previous: Cursor | None, counter: RequestCounter
) -> Cursor:
    """Add the review comments updated since the watermark to `batch`; return the cursor."""
    repo = batch.repo
    watermark = parse(previous.cursor if previous else None)
    listed = fetch_list(
        requester,
        f"/repos/{repo}/pulls/comments",
        counter,
        params={"sort": "updated", "direction": "desc", "per_page": requester.per_page},
        etag=previous.etag if previous else None,
        keep=updated_since(watermark, KIND),
    )
    comments: dict[int, ReviewComment] = {}
    with reading(listed.path):
        for raw in listed.items:
            record = review_comment(repo, raw)
            # A comment edited while the list is paged can be listed twice: keep the newest.
            comments.setdefault(record.comment_id, record)
        newest = advance(watermark, [normalize.updated_at(raw, KIND) for raw in listed.items])
    batch.review_comments.extend(comments.values())
    return Cursor(
        source=SOURCE,
        scope=repo,
        resource=RESOURCE,
        cursor=newest.isoformat() if newest else None,
        etag=listed.etag,
    )


def review_comment(repo: str, raw: Any) -> ReviewComment:
    """A comment of the repository-wide list, with the number of the PR it belongs to."""
    return normalize.review_comment(repo, pull_number(raw), raw)


def pull_number(raw: Any) -> int:
    """The PR number at the end of a comment's `pull_request_url` (`.../pulls/{n}`)."""
    obj = ApiObject(raw, KIND)
    url = obj.text("pull_request_url")
    assert url is not None  # required
    found = _PULL_PATH.search(urlparse(url).path)
    if found is None or not 1 <= int(found["number"]) <= INTEGER_MAX:
        raise MalformedObject(
            f"{obj.label}: field 'pull_request_url' is {url[:200]!r}, expected a URL ending "
            "in /pulls/{number}"
        )
    return int(found["number"])
