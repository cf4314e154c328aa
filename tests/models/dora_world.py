"""A tiny hand-built GitHub warehouse for the SQL model tests (fixtures: conftest.py).

`World` writes raw.* and meta.* rows with bound parameters, in the shapes the connector and the
config loader write them, then builds every model. Tests describe a few deployments, pull
requests and issues at whole hours in January 2024 (1 January 2024 is a Monday, so ISO week
starts are easy to read) and compare the marts with numbers worked out by hand.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import UTC, datetime, timedelta

import duckdb

from models.runner import run_all
from models.sql_files import SqlModel
from warehouse.migrations import apply_migrations

# candor.yaml's rule defaults, as the config loader writes them into meta.settings
DEFAULT_SETTINGS = {
    "hotfix_labels": json.dumps(["hotfix"]),
    "hotfix_head_branch_regex": r"(?i)^hotfix/",
    "revert_title_regex": r"^Revert ",
    "revert_message_regex": r"This reverts commit ([0-9a-f]{7,40})",
    "revert_body_regex": r"\bReverts (?:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?#([0-9]{1,9})\b",
    "incident_labels": json.dumps(["incident"]),
    "incident_link_window_hours": "24",
    "stale_after_hours": "48",
    "benchmark_year": "2024",
}


def at(day: int, hour: int = 0, minute: int = 0, month: int = 1) -> datetime:
    """A UTC time in 2024 (December days belong to 2023)."""
    year = 2023 if month == 12 else 2024
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def sha(name: str) -> str:
    """A stable 40-hex commit sha for a readable name."""
    return hashlib.sha1(name.encode()).hexdigest()


class World:
    """Raw GitHub rows for one test, written as the connector would write them."""

    def __init__(self, con: duckdb.DuckDBPyConnection, models: list[SqlModel]) -> None:
        self.con = con
        self.models = models
        self._ids = itertools.count(1)
        apply_migrations(con)

    # ------------------------------------------------------------------ meta
    def team_repo(self, team: str, repo: str, production: str = r"(?i)^production$") -> None:
        self.con.execute(
            "insert into meta.team_repos values (?, 'github', ?, ?)", [team, repo, production]
        )

    def settings(self, **overrides: str) -> None:
        self.con.execute("delete from meta.settings")
        for name, value in {**DEFAULT_SETTINGS, **overrides}.items():
            self.con.execute("insert into meta.settings values (?, ?)", [name, value])

    def sync_status(
        self,
        repo: str,
        resource: str,
        last_success: datetime | None,
        *,
        attempted: datetime | None = None,
        error: str | None = None,
    ) -> None:
        """A meta.sync_status row as the ingest writes it after a sync attempt."""
        attempted = attempted or last_success
        self.con.execute(
            "insert into meta.sync_status values ('github', ?, ?, ?, ?, ?, ?)",
            [repo, resource, attempted, last_success, error, 0 if error is None else 1],
        )

    # ------------------------------------------------------------------ deployments
    def deploy(
        self,
        repo: str,
        deployment_id: int,
        commit: str,
        finished: datetime,
        *,
        env: str = "production",
        states: tuple[str, ...] = ("success",),
    ) -> None:
        """A deployment requested 10 minutes before `finished`, then its statuses: each state
        in `states` one minute apart, the first at `finished`."""
        self.con.execute(
            "insert into raw.github_deployments values (?, ?, ?, ?, 'main', 'deploy', 'ci', ?, ?)",
            [repo, deployment_id, env, commit, finished - timedelta(minutes=10), "{}"],
        )
        self._status(repo, deployment_id, "in_progress", finished - timedelta(minutes=5))
        for offset, state in enumerate(states):
            self._status(repo, deployment_id, state, finished + timedelta(minutes=offset))

    def _status(self, repo: str, deployment_id: int, state: str, when: datetime) -> None:
        status_id = next(self._ids)
        self.con.execute(
            "insert into raw.github_deployment_statuses "
            "(repo, deployment_id, node_id, status_id, state, created_at, payload) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [repo, deployment_id, f"DES_{status_id}", status_id, state, when, "{}"],
        )

    def change_set(
        self, repo: str, deployment_id: int, base: str, commits: list[tuple[str, datetime, str]]
    ) -> None:
        """Commits (sha, authored_at, message) of compare(base...deployment sha)."""
        for commit, authored, message in commits:
            self.con.execute(
                "insert into raw.github_deployment_commits values (?, ?, ?, ?, ?, ?, 'dev', ?)",
                [repo, deployment_id, base, commit, authored, authored, message],
            )

    def compare(
        self,
        repo: str,
        deployment_id: int,
        base: tuple[int, str],
        head_sha: str,
        status: str,
        ahead_by: int | None,
        behind_by: int | None,
        unknown_reason: str | None = None,
    ) -> None:
        """GitHub's compare of the previous deployment (id, sha) with this one, as stored."""
        self.con.execute(
            """
            insert into raw.github_deployment_compares (repo, deployment_id, base_deployment_id,
                base_sha, head_sha, status, ahead_by, behind_by, change_set_known, unknown_reason)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [repo, deployment_id, base[0], base[1], head_sha, status, ahead_by, behind_by,
             status != "unknown", unknown_reason],
        )

    # ------------------------------------------------------------------ pull requests
    def pull_request(
        self,
        repo: str,
        number: int,
        *,
        merge_sha: str,
        opened: datetime,
        merged: datetime,
        commits: list[tuple[str, datetime, str]],
        reviews: list[tuple[str, datetime]] = (),
        author: str = "alice",
        labels: tuple[str, ...] = (),
        head_ref: str = "feature",
        title: str = "Change",
        body: str = "",
    ) -> None:
        self.con.execute(
            """
            insert into raw.github_pull_requests
            values (?, ?, ?, ?, 'closed', ?, 'main', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [repo, number, title, author, head_ref, commits[-1][0], merge_sha, list(labels),
             opened, merged, merged, merged, json.dumps({"body": body}), body],
        )
        for commit, authored, message in commits:
            self.con.execute(
                "insert into raw.github_pull_commits values (?, ?, ?, ?, ?, ?, ?)",
                [repo, number, commit, authored, authored, author, message],
            )
        for reviewer, submitted in reviews:
            self.con.execute(
                "insert into raw.github_pull_reviews values (?, ?, ?, ?, 'APPROVED', ?, ?)",
                [repo, number, next(self._ids), reviewer, submitted, "{}"],
            )

    # ------------------------------------------------------------------ issues
    def issue(
        self,
        repo: str,
        number: int,
        created: datetime,
        closed: datetime | None = None,
        *,
        body: str = "",
        labels: tuple[str, ...] = ("incident",),
        title: str | None = None,
    ) -> None:
        self.con.execute(
            "insert into raw.github_issues values (?, ?, ?, ?, 'ops', ?, ?, ?, ?, ?, ?)",
            [repo, number, title or f"Issue {number}", body, "closed" if closed else "open",
             list(labels), created, closed or created, closed, "{}"],
        )

    # ------------------------------------------------------------------ PagerDuty
    def team_service(self, team: str, service_id: str, account: str = "default") -> None:
        self.con.execute("insert into meta.team_services values (?, 'pagerduty', ?, ?)",
                         [team, account, service_id])

    def pd_incident(
        self,
        service_id: str,
        number: int,
        created: datetime,
        *,
        title: str = "Errors",
        status: str = "resolved",
        resolved: datetime | None = None,
        last_change: datetime | None = None,
        urgency: str = "high",
        priority: str | None = None,
    ) -> str:
        """An incident as the connector stores it; `resolved` None with status resolved is the
        older answer shape (no resolved_at). Returns its id."""
        incident_id = f"Q{number:06d}"
        self.con.execute(
            "insert into raw.pagerduty_incidents values "
            "('default', ?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, '{}')",
            [incident_id, number, service_id, title, status, urgency, priority, created,
             last_change or resolved or created, last_change or resolved, resolved],
        )
        return incident_id

    def pd_log(self, incident_id: str, kind: str, when: datetime, *, by: str = "user",
               note: str | None = None) -> None:
        """A log entry: `by` user (a person, id PUSER01) or integration (monitoring)."""
        agent = ("user_reference", "PUSER01") if by == "user" else (
            "events_api_v2_inbound_integration_reference", "PINTEG1")
        self.con.execute(
            "insert into raw.pagerduty_log_entries values "
            "('default', ?, ?, null, ?, ?, ?, ?, null, ?, '{}')",
            [f"R{next(self._ids):06d}", incident_id, kind, when, *agent, note],
        )

    # ------------------------------------------------------------------ results
    def run(self) -> None:
        run_all(self.con, self.models)

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        cursor = self.con.execute(sql, params or [])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def one(self, sql: str, params: list | None = None) -> dict:
        rows = self.rows(sql, params)
        assert len(rows) == 1, f"expected one row, got {len(rows)}: {rows}"
        return rows[0]


def new_world(models: list[SqlModel]) -> World:
    """A World on a fresh in-memory DuckDB."""
    return World(duckdb.connect(), models)
