"""Listing Actions runs under GitHub's 1,000-result cap: `created` windows split until each fits.

GET /repos/{o}/{r}/actions/runs returns at most `WORKFLOW_RUNS_CAP` runs for one query, however
many pages are asked for, while `total_count` reports them all. So each window is probed first
(one run per page: one small request); a window holding more than the cap is split in two
halves at a whole second, and each half probed again. The first window is open-ended
(`created=>=since`); if it must be split, its end is the newest run's `created_at` (the list is
newest first). `created` takes GitHub's search syntax: `>=T` and inclusive ranges `A..B`.

The first probe may be conditional (`etag`, kept from the previous pass, `window_etag`): a 304
says the window's count and newest run are as they were, so nothing is read (workflow_runs.py
says when that is safe).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from github.Requester import Requester

from connectors.github.paging import FetchedList, RequestCounter, fetch_list
from connectors.github.settings import WORKFLOW_RUNS_CAP
from connectors.github.shape import ApiObject, reading

log = logging.getLogger(__name__)

SECOND = timedelta(seconds=1)
ITEMS = "workflow_runs"


def stamp(moment: datetime) -> str:
    """A UTC datetime in the form GitHub's `created` filter reads."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def window_etag(
    requester: Requester,
    repo: str,
    counter: RequestCounter,
    since: datetime,
    branch: str | None = None,
) -> str | None:
    """The ETag of the first probe `list_runs(..., since, branch)` will send (one request)."""
    path, base = _endpoint(repo, branch)
    return _probe(requester, counter, path, {**base, "created": f">={stamp(since)}"}).etag


def _endpoint(repo: str, branch: str | None) -> tuple[str, dict[str, str]]:
    """The runs list of `repo` and the parameters every query of it sends."""
    return (f"/repos/{repo}/actions/runs",
            {"exclude_pull_requests": "true", **({"branch": branch} if branch else {})})


def _probe(requester: Requester, counter: RequestCounter, path: str, params: dict[str, str],
           etag: str | None = None) -> FetchedList:
    """One run a page: the window's `total_count` and newest run, in one small request."""
    return fetch_list(requester, path, counter, params={**params, "per_page": 1}, etag=etag,
                      items_key=ITEMS, keep=lambda _: False)


@dataclass(frozen=True)
class ListedRuns:
    """The runs of a window, and what the first probe of it was answered."""

    runs: list[Any]  # as decoded, empty when not modified
    probe_etag: str | None  # ETag of the first probe (`created=>=since`), to send back
    not_modified: bool  # the conditional first probe was answered 304: nothing was read


def list_runs(
    requester: Requester,
    repo: str,
    counter: RequestCounter,
    since: datetime,
    branch: str | None = None,
    etag: str | None = None,
) -> ListedRuns:
    """Every run of `repo` created at or after `since` (on `branch`, if given), as decoded;
    none if `etag` is given and the first probe is answered 304."""
    path, base = _endpoint(repo, branch)

    def probe(created: str, etag: str | None = None) -> tuple[int, Any, FetchedList]:
        listed = _probe(requester, counter, path, {**base, "created": created}, etag)
        if listed.not_modified:
            return 0, None, listed
        with reading(path):
            total = ApiObject(listed.first_page, "workflow runs list", None).count("total_count")
        newest = listed.first_page[ITEMS][0] if listed.first_page[ITEMS] else None
        return total, newest, listed

    def read(created: str) -> list[Any]:
        params = {**base, "created": created, "per_page": requester.per_page}
        return fetch_list(requester, path, counter, params=params, items_key=ITEMS).items

    total, newest, first = probe(f">={stamp(since)}", etag)
    if first.not_modified:
        return ListedRuns([], etag, not_modified=True)
    if total == 0:
        return ListedRuns([], first.etag, not_modified=False)
    if total <= WORKFLOW_RUNS_CAP:
        return ListedRuns(read(f">={stamp(since)}"), first.etag, not_modified=False)
    with reading(path):
        end = ApiObject(newest, "workflow run").time("created_at")
    runs: list[Any] = []
    windows = [(since, end)]
    while windows:
        start, stop = windows.pop()
        created = f"{stamp(start)}..{stamp(stop)}"
        total, _, _ = probe(created)
        if total > WORKFLOW_RUNS_CAP and stop - start >= SECOND:
            middle = start + timedelta(seconds=(stop - start).total_seconds() // 2)
            windows.extend([(middle + SECOND, stop), (start, middle)])
            continue
        if total > WORKFLOW_RUNS_CAP:
            log.warning(
                "%s: %d workflow runs were created in the second %s; GitHub lists %d of them",
                repo, total, stamp(start), WORKFLOW_RUNS_CAP,
            )
        if total:
            runs.extend(read(created))
    return ListedRuns(runs, first.etag, not_modified=False)
