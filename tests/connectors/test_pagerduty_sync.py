"""The PagerDuty connector over real https (the simulated account, its certificate verified
with the CA it was signed by): after each sync the warehouse holds exactly what the simulated
account shows at its clock, whatever the pagination, windows, retries or open incidents.

The expected rows are derived from the simulator's own objects (simulator/pagerduty_world.py),
not from what the connector returned: an incident's status is the last acknowledge/resolve
entry at the clock, its resolution time the resolve entry's time, absent in the older answer
shape."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sleeps import Sleeps

from connectors.pagerduty.client import PagerDutySettings
from connectors.pagerduty.errors import PagerDutySyncError, PagerDutyUnavailable
from connectors.pagerduty.settings import SOURCE, WINDOW
from connectors.pagerduty.sync import sync_account
from connectors.pagerduty.tables import PAGERDUTY_TABLES
from simulator.generator import generate_org
from simulator.pagerduty_server import PagerDutySandbox
from simulator.pagerduty_world import PagerDutyWorld, pagerduty_world
from warehouse.connection import connect
from warehouse.loading import write_batch
from warehouse.sync_state import read_cursors


@pytest.fixture(scope="module")
def org():
    return generate_org(seed=3, teams=3, months=12)


@pytest.fixture
def warehouse(tmp_path):
    con = connect(tmp_path / "warehouse.duckdb")
    yield con
    con.close()



def settings_for(server: PagerDutySandbox, sleeps: Sleeps | None = None, **overrides):
    # 400 days back by default: the whole simulated year
    overrides.setdefault("backfill_days", 400)
    return PagerDutySettings(token=server.token, base_url=server.base_url,
                             ca_path=server.ca_path,
                             sleep=sleeps if sleeps is not None else Sleeps(), **overrides)


def sync_into(con, server: PagerDutySandbox, **overrides):
    cursors = {resource: cursor
               for (_, resource), cursor in read_cursors(con, SOURCE).items()}
    batch = sync_account(settings_for(server, **overrides), cursors)
    written = write_batch(con, PAGERDUTY_TABLES, batch)
    return batch, written


def truth_incidents(world: PagerDutyWorld, clock: datetime) -> dict[str, tuple]:
    """(number, service, status, resolved_at as answered, last status change) per incident
    visible at `clock`, from the simulator's log entries."""
    rows = {}
    for incident in world.incidents:
        if incident.created_at > clock:
            continue
        status, changed = "triggered", incident.created_at
        for entry in incident.log:
            if entry.created_at <= clock and entry.kind in ("acknowledge", "resolve"):
                status = "acknowledged" if entry.kind == "acknowledge" else "resolved"
                changed = entry.created_at
        resolved = changed if status == "resolved" and not incident.legacy_shape else None
        rows[incident.incident_id] = (incident.number, incident.service_id, status, resolved,
                                      changed)
    return rows


def stored_incidents(con) -> dict[str, tuple]:
    rows = con.execute("""
        select incident_id, incident_number, service_id, status, resolved_at,
            last_status_change_at
        from raw.pagerduty_incidents""").fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def truth_log_entries(world: PagerDutyWorld, clock: datetime) -> set[tuple]:
    return {(entry.entry_id, incident.incident_id, entry.kind, entry.created_at, entry.note)
            for incident in world.incidents for entry in incident.log
            if entry.created_at <= clock}


def stored_log_entries(con) -> set[tuple]:
    return set(con.execute("""
        select log_entry_id, incident_id, entry_type, created_at, note
        from raw.pagerduty_log_entries""").fetchall())


def since_until_spans(server: PagerDutySandbox) -> list[timedelta]:
    from urllib.parse import parse_qs, urlsplit

    spans = []
    for request in server.requests:
        query = parse_qs(urlsplit(request).query)
        if "since" in query:
            since = datetime.fromisoformat(query["since"][0])
            until = datetime.fromisoformat(query["until"][0])
            spans.append(until - since)
    return spans


def test_backfill_over_a_year_is_read_in_windows_of_at_most_six_months(org, warehouse):
    with PagerDutySandbox(org) as server:
        batch, _ = sync_into(warehouse, server)
        world, clock = server.world, server.clock
        spans = since_until_spans(server)
    # 400 days back: three windows for incidents and three for log entries (180 + 180 + 40)
    assert batch.windows == 6
    assert max(spans) <= WINDOW
    assert stored_incidents(warehouse) == truth_incidents(world, clock)
    assert stored_log_entries(warehouse) == truth_log_entries(world, clock)
    services = warehouse.execute(
        "select service_id, name, team_ids from raw.pagerduty_services order by name").fetchall()
    assert len(services) == len(org.teams) + 1
    # the vendor's service belongs to no team; every team's service to one
    assert sorted(len(team_ids) for _, _, team_ids in services) == [0] + [1] * len(org.teams)


def test_older_answers_without_resolved_at_keep_the_status_change_time(org, warehouse):
    with PagerDutySandbox(org) as server:
        sync_into(warehouse, server)
        legacy = [i for i in server.world.incidents if i.legacy_shape and i.resolved_at]
    assert legacy, "the simulated account has incidents in the older answer shape"
    stored = stored_incidents(warehouse)
    for incident in legacy:
        _, _, status, resolved_at, changed = stored[incident.incident_id]
        assert (status, resolved_at, changed) == ("resolved", None, incident.resolved_at)


def test_a_second_run_with_nothing_new_reads_only_the_open_incidents(org, warehouse):
    with PagerDutySandbox(org) as server:
        first, _ = sync_into(warehouse, server)
        before = (stored_incidents(warehouse), stored_log_entries(warehouse))
        second, _ = sync_into(warehouse, server)
    still_open = {i.incident_id for i in first.incidents if i.status != "resolved"}
    assert 1 < len(still_open) <= 100
    # the overlap hour before the clock holds nothing new in this account, so the second run
    # re-reads exactly the incidents open at the first (still open), and no log entry
    assert {i.incident_id for i in second.incidents} == still_open
    assert second.log_entries == []
    # the clock (one service), the services (one page), each window's total (incidents, log
    # entries: nothing in them, so no page) and the open incidents' one page: 5 requests,
    # however many are open
    assert second.requests == 5
    assert (stored_incidents(warehouse), stored_log_entries(warehouse)) == before


def test_an_incident_resolved_after_the_last_sync_is_picked_up_by_the_next(org, warehouse):
    world = pagerduty_world(org)
    # an incident created in the account's last month and resolved three or more days later
    late = next(i for i in reversed(world.incidents)
                if i.resolved_at and i.resolved_at - i.created_at > timedelta(hours=6)
                and i.resolved_at < org.end - timedelta(days=1))
    first_clock = late.created_at + (late.resolved_at - late.created_at) / 2
    with PagerDutySandbox(org, world=world) as server:
        server.set_clock(first_clock)
        sync_into(warehouse, server)
        assert stored_incidents(warehouse)[late.incident_id][2] != "resolved"
        server.set_clock(org.end)
        sync_into(warehouse, server)
        clock = server.clock
    assert stored_incidents(warehouse) == truth_incidents(world, clock)
    assert stored_log_entries(warehouse) == truth_log_entries(world, clock)
    assert stored_incidents(warehouse)[late.incident_id][2] == "resolved"


def test_a_429_waits_retry_after_then_succeeds(org, warehouse):
    sleeps = Sleeps()
    with PagerDutySandbox(org) as server:
        server.faults.script([429, 429])
        sync_into(warehouse, server, sleeps=sleeps)
        world, clock = server.world, server.clock
    assert sleeps == [1.0, 1.0]  # the simulated API's Retry-After
    assert stored_incidents(warehouse) == truth_incidents(world, clock)


def test_a_burst_of_5xx_backs_off_then_succeeds(org, warehouse):
    sleeps = Sleeps()
    with PagerDutySandbox(org) as server:
        server.faults.script([500, 502, 503])
        sync_into(warehouse, server, sleeps=sleeps)
        world, clock = server.world, server.clock
    assert sleeps == [1.0, 2.0, 4.0]  # backoff_s 1 doubled per attempt
    assert stored_incidents(warehouse) == truth_incidents(world, clock)
    assert stored_log_entries(warehouse) == truth_log_entries(world, clock)


def test_retries_spent_fail_the_sync_and_store_nothing(org, warehouse):
    with PagerDutySandbox(org) as server:
        server.faults.script([503] * 3)
        with pytest.raises(PagerDutyUnavailable, match="answered 503 to GET /services 3 times"):
            sync_into(warehouse, server, attempts=2)
    assert warehouse.execute("select count(*) from raw.pagerduty_incidents").fetchone() == (0,)
    assert read_cursors(warehouse, SOURCE) == {}


def test_a_rate_limit_wait_past_the_allowed_maximum_is_refused(org, warehouse):
    with PagerDutySandbox(org) as server:
        server.faults.script([429])
        with pytest.raises(PagerDutyUnavailable, match=r"wait 1 s .* longer than the 0 s"):
            sync_into(warehouse, server, max_wait_s=0.0)


def test_a_refused_token_is_named_without_the_token(org, warehouse):
    with PagerDutySandbox(org) as server:
        settings = settings_for(server)
        wrong = PagerDutySettings(token="u+wrong-token-1234", base_url=settings.base_url,
                                  ca_path=settings.ca_path)
        with pytest.raises(PagerDutySyncError) as refused:
            sync_account(wrong, {})
    assert "401" in str(refused.value) and "token_env" in str(refused.value)
    assert "1234" not in str(refused.value) and "wrong" not in str(refused.value)


def test_more_than_ten_thousand_incidents_in_a_window_are_split_not_truncated(org, warehouse):
    world = pagerduty_world(org)
    storm_end = org.end - timedelta(days=10)
    world.add_flood(world.services[0].service_id, 10_050, storm_end - timedelta(days=20),
                    storm_end)
    with PagerDutySandbox(org, world=world) as server:
        sync_into(warehouse, server)
        clock = server.clock
        totals = [r for r in server.requests
                  if r.startswith("/incidents?") and "total=true" in r]
    expected = truth_incidents(world, clock)
    assert len(expected) > 10_050
    assert stored_incidents(warehouse) == expected
    # three 180-day windows, and the one holding the storm bisected at least once
    assert len(totals) >= 3 + 2


def test_an_incident_still_open_from_before_the_backfill_is_read(org, warehouse):
    world = pagerduty_world(org)
    start = org.end - timedelta(days=30)
    with PagerDutySandbox(org, world=world) as server:
        sync_into(warehouse, server, backfill_days=30)
    stored = stored_incidents(warehouse)
    old_open = {i.incident_id for i in world.incidents
                if i.created_at < start and i.resolved_at is None}
    old_resolved = {i.incident_id for i in world.incidents
                    if i.created_at < start and i.resolved_at is not None}
    recent = {i.incident_id for i in world.incidents if i.created_at >= start}
    assert old_open and old_resolved
    # the window reads the last 30 days; the open list adds the older open ones, no other
    assert set(stored) == recent | old_open


def test_a_server_whose_certificate_is_not_trusted_is_refused(org):
    # without the sandbox's CA the system's authorities are used: the certificate is verified
    # and refused, never accepted unverified
    with PagerDutySandbox(org) as server:
        untrusting = PagerDutySettings(token=server.token, base_url=server.base_url,
                                       attempts=0)
        with pytest.raises(PagerDutyUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
            sync_account(untrusting, {})
        assert server.requests == []


def test_a_full_refresh_replaces_the_accounts_rows(org, warehouse):
    with PagerDutySandbox(org) as server:
        sync_into(warehouse, server)
        # an incident PagerDuty no longer has (deleted since), and another account's row
        warehouse.execute("""
            insert into raw.pagerduty_incidents (account, incident_id, incident_number,
                service_id, status, created_at)
            values ('default', 'QGONE', 1, 'PX', 'resolved', now()),
                   ('other', 'QKEEP', 1, 'PX', 'resolved', now())""")
        batch = sync_account(settings_for(server), {})
        write_batch(warehouse, PAGERDUTY_TABLES, batch, replace=True)
        world, clock = server.world, server.clock
    stored = stored_incidents(warehouse)
    assert "QKEEP" in stored  # another account is not this one's to replace
    del stored["QKEEP"]
    assert stored == truth_incidents(world, clock)


def test_over_ten_thousand_incidents_in_one_second_fail_the_sync_not_truncated(org, warehouse):
    world = pagerduty_world(org)
    moment = org.end - timedelta(days=3)
    # spread over half a second: PagerDuty's whole seconds put all 10,050 in one
    world.add_flood(world.services[0].service_id, 10_050, moment,
                    moment + timedelta(milliseconds=500))
    assert sum(i.created_at == moment for i in world.incidents) == 10_050
    with (PagerDutySandbox(org, world=world) as server,
          pytest.raises(PagerDutySyncError, match=r"more than 10,000 records .* one-second")):
        sync_into(warehouse, server)
    assert warehouse.execute("select count(*) from raw.pagerduty_incidents").fetchone() == (0,)
