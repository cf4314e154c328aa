"""One incremental sync of a PagerDuty account: its services, the incidents created since the
last sync (and the incidents still open then, read again), and the log entries written since.

- **Now** is PagerDuty's clock (the `Date` of its first answer), not this machine's, so a
  window never ends in PagerDuty's future nor skips what it has not shown yet.
- **Windows.** Incidents and log entries are read in `since`/`until` windows of at most
  `WINDOW` (PagerDuty refuses ranges over six months), from `OVERLAP` before the last sync's
  end, or `backfill_days` back on the first. Within a window the client's `iter_history`
  halves it until each part holds at most 10,000 records (the classic pagination cap);
  should a part still be over it (10,000 records within one second), the sync fails rather
  than store a silently truncated list.
- **Open incidents.** PagerDuty's windows filter on creation time, so an incident resolved
  after the last sync is not in any new window: every sync reads the list of incidents open
  now (one page per 100), and the ids of incidents open at the last sync travel in the
  cursor, so those resolved since are read again by id.
- The cursors go into the batch, so the warehouse commits them with the rows they cover
  (warehouse.loading.write_batch): a sync that fails stores nothing and moves no cursor.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import httpx2
import pagerduty

from connectors.contract import Cursor
from connectors.pagerduty import normalize
from connectors.pagerduty.client import PagerDutySettings, make_client
from connectors.pagerduty.errors import PagerDutySyncError
from connectors.pagerduty.records import AccountBatch, Incident
from connectors.pagerduty.settings import OVERLAP, PAGE, SOURCE, WINDOW
from connectors.server_clock import server_time

OPEN_STATUSES = ("triggered", "acknowledged")
REFUSED_TOKEN = ("PagerDuty refused the token (401): check that the environment variable named "
                 "by sources.pagerduty.token_env holds a valid REST API key of this account, "
                 "and that sources.pagerduty.base_url is the account's service region (US or EU)")


def windows(start: datetime, end: datetime, longest: timedelta = WINDOW
            ) -> Iterator[tuple[datetime, datetime]]:
    """[start, end) cut into consecutive windows of at most `longest`."""
    while start < end:
        stop = min(start + longest, end)
        yield start, stop
        start = stop


def sync_account(settings: PagerDutySettings, cursors: dict[str, Cursor]) -> AccountBatch:
    """Read everything new of the account since `cursors` (by resource; empty: a backfill of
    `settings.backfill_days`). Raises PagerDutySyncError (or the client's errors, which the
    caller reports) and then stores nothing."""
    try:
        return _sync(settings, cursors)
    except pagerduty.HttpError as problem:
        if problem.response is not None and problem.response.status_code == 401:
            # The client's message shows the token's last characters: never pass it on.
            raise PagerDutySyncError(REFUSED_TOKEN) from None
        raise


def _sync(settings: PagerDutySettings, cursors: dict[str, Cursor]) -> AccountBatch:
    client, transport = make_client(settings)
    account = settings.account
    batch = AccountBatch(scope=account)
    with client:
        # one service is enough to read PagerDuty's clock (and to learn a refused token)
        first = _get(client, "/services", params={"limit": 1, "offset": 0})
        now = server_time(first.headers.get("date"))
        batch.services = [normalize.service(account, item)
                          for item in client.iter_all("/services", page_size=PAGE)]

        incidents: dict[str, Incident] = {}
        for since, until in _windows_since(cursors.get("incidents"), now, settings):
            batch.windows += 1
            for item in _history(client, "/incidents", since, until, {}):
                record = normalize.incident(account, item)
                incidents[record.incident_id] = record
        # Every incident open now, in one list (however old: this also finds open incidents
        # created before the backfill), then, by id, those open at the last sync that have
        # been resolved since: few a night, where reading every open one would cost one
        # request each, every night.
        for item in _listed(client, "/incidents", {"date_range": "all",
                                                   "statuses[]": list(OPEN_STATUSES)}):
            record = normalize.incident(account, item)
            incidents[record.incident_id] = record
        for incident_id in _open_ids(cursors.get("incidents")):
            if incident_id not in incidents:
                item = _read_incident(client, incident_id)
                if item is not None:
                    incidents[incident_id] = normalize.incident(account, item)
        batch.incidents = sorted(incidents.values(), key=lambda i: i.incident_number)

        entries = {}
        for since, until in _windows_since(cursors.get("log_entries"), now, settings):
            batch.windows += 1
            for item in _history(client, "/log_entries", since, until, {"is_overview": "true"}):
                record = normalize.log_entry(account, item)
                entries[record.log_entry_id] = record
        batch.log_entries = sorted(entries.values(), key=lambda e: (e.created_at, e.log_entry_id))

    still_open = sorted(i.incident_id for i in batch.incidents if i.status in OPEN_STATUSES)
    stamp = now.isoformat()
    batch.cursors = [
        Cursor(SOURCE, account, "services", stamp, None),
        Cursor(SOURCE, account, "incidents", json.dumps({"until": stamp, "open": still_open}),
               None),
        Cursor(SOURCE, account, "log_entries", json.dumps({"until": stamp}), None),
    ]
    batch.requests = transport.requests
    return batch


def _get(client: pagerduty.RestApiV2Client, path: str, params: dict) -> httpx2.Response:
    # a 401 is raised by the client itself (HttpError), and replaced in sync_account
    response = client.get(path, params=params)
    if not response.is_success:
        raise PagerDutySyncError(f"PagerDuty answered {response.status_code} to GET {path}")
    return response



def _cursor_until(cursor: Cursor | None) -> datetime | None:
    if cursor is None or cursor.cursor is None:
        return None
    return datetime.fromisoformat(json.loads(cursor.cursor)["until"])


def _open_ids(cursor: Cursor | None) -> list[str]:
    if cursor is None or cursor.cursor is None:
        return []
    return list(json.loads(cursor.cursor).get("open", []))


def _windows_since(cursor: Cursor | None, now: datetime, settings: PagerDutySettings
                   ) -> Iterator[tuple[datetime, datetime]]:
    until = _cursor_until(cursor)
    start = now - timedelta(days=settings.backfill_days) if until is None else until - OVERLAP
    return windows(start, now)


@contextmanager
def _cut_is_an_error(what: str) -> Iterator[None]:
    """`iter_all`'s one way to stop short (a warning at the 10,000 cap) as an error naming
    `what`: a list is read whole or not at all."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Stopping iter_all")
        try:
            yield
        except UserWarning:
            raise PagerDutySyncError(f"{what}; PagerDuty cannot list them all") from None


def _history(client: pagerduty.RestApiV2Client, path: str, since: datetime, until: datetime,
             params: dict) -> Iterator[dict]:
    """Every record of [since, until): `iter_history` bisects past 10,000."""
    with _cut_is_an_error(f"GET {path} holds more than 10,000 records between "
                          f"{since.isoformat()} and {until.isoformat()} even in a one-second "
                          "window"):
        yield from client.iter_history(path, since, until, params={**params, "limit": PAGE})


def _listed(client: pagerduty.RestApiV2Client, path: str, params: dict) -> Iterator[dict]:
    """Every record of a list with no time window."""
    with _cut_is_an_error(f"GET {path} lists more than 10,000 open incidents (resolve or merge "
                          "the stale ones)"):
        yield from client.iter_all(path, params=params, page_size=PAGE)


def _read_incident(client: pagerduty.RestApiV2Client, incident_id: str) -> dict | None:
    """An incident by id; None when PagerDuty no longer has it (merged or deleted)."""
    try:
        return client.rget(f"/incidents/{incident_id}")
    except pagerduty.HttpError as problem:
        if problem.response is not None and problem.response.status_code == 404:
            return None
        raise
