"""What a correct GitHub sync of a simulated org must return, derived from the org objects.

Each set holds the warehouse keys of one raw table (records.py / migration 001), so a test can
compare "fetched" with "true" and see lost and extra rows. Derived from the generator's event
log (simulator/model.py), independently of the connector and of the server's handlers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from connectors.github.records import RepoBatch
from simulator.github_json import node_id

TABLES = (
    "deployments",
    "deployment_statuses",
    "deployment_commits",
    "pull_requests",
    "pull_commits",
    "pull_reviews",
    "review_comments",
    "issues",
)


def production_regex(repo) -> str:
    """The production rule for a simulated repo: its production environments, any case."""
    names = "|".join(re.escape(name) for name in repo.production_environments)
    return f"(?i)^({names})$"


def repo_rules(org) -> list[tuple[str, str]]:
    return [(name, production_regex(repo)) for name, repo in sorted(org.repos.items())]


def record_key(table: str, record) -> tuple:
    """The primary key of a record in its raw table."""
    keys = {
        "deployments": ("repo", "deployment_id"),
        "deployment_statuses": ("repo", "node_id"),
        "deployment_commits": ("repo", "deployment_id", "sha"),
        "pull_requests": ("repo", "number"),
        "pull_commits": ("repo", "pr_number", "sha"),
        "pull_reviews": ("repo", "review_id"),
        "review_comments": ("repo", "comment_id"),
        "issues": ("repo", "number"),
    }[table]
    return tuple(getattr(record, k) for k in keys)


@dataclass
class Keys:
    """Key sets per table; `duplicates` counts rows fetched more than once within a batch."""

    tables: dict[str, set] = field(default_factory=lambda: {t: set() for t in TABLES})
    duplicates: int = 0

    @classmethod
    def of_batches(cls, batches: Iterable[RepoBatch]) -> Keys:
        keys = cls()
        for batch in batches:
            for table in TABLES:
                fetched = [record_key(table, r) for r in getattr(batch, table)]
                keys.duplicates += len(fetched) - len(set(fetched))
                keys.tables[table].update(fetched)
        return keys


def latest_records(batches: Iterable[RepoBatch]) -> dict[str, dict[tuple, object]]:
    """Upsert semantics: per table and key, the record of the last batch that had it."""
    rows: dict[str, dict[tuple, object]] = {t: {} for t in TABLES}
    for batch in batches:
        for table in TABLES:
            for record in getattr(batch, table):
                rows[table][record_key(table, record)] = record
    return rows


def true_keys(org, clock: datetime) -> Keys:
    """Every row a full sync at `clock` must return."""
    keys = Keys()
    t = keys.tables
    for name, repo in org.repos.items():
        deployments = [d for d in repo.deployments if d.created_at <= clock]
        t["deployments"].update((name, d.deployment_id) for d in deployments)
        t["deployment_statuses"].update(
            (name, node_id("status", s.status_id))
            for d in deployments for s in d.statuses if s.created_at <= clock
        )
        t["deployment_commits"].update(_change_set_keys(repo, deployments, clock))
        pulls = [p for p in repo.pulls if p.created_at <= clock]
        t["pull_requests"].update((name, p.number) for p in pulls)
        for p in pulls:
            # A PR lists the commits pushed by then (GitHub shows at least its first one).
            shown = [s for s in p.commit_shas if repo.commits[s].committed_at <= clock]
            t["pull_commits"].update((name, p.number, s) for s in shown or p.commit_shas[:1])
            t["pull_reviews"].update(
                (name, v.review_id) for v in p.reviews if v.submitted_at <= clock
            )
            t["review_comments"].update(
                (name, c.comment_id) for c in p.comments if c.created_at <= clock
            )
        t["issues"].update((name, i.number) for i in repo.issues if i.created_at <= clock)
    return keys


def _change_set_keys(repo, deployments, clock: datetime) -> set[tuple]:
    """DESIGN §4: per environment, in order of first success, compare(previous ... this)."""
    production = re.compile(production_regex(repo))
    finished = sorted(
        (
            (first_success(d, clock), d.deployment_id, d)
            for d in deployments
            if production.search(d.environment) and first_success(d, clock) is not None
        ),
        key=lambda row: row[:2],
    )
    position = {sha: i for i, sha in enumerate(repo.main_history)}
    keys: set[tuple] = set()
    last: dict[str, object] = {}
    for _, _, d in finished:
        base = last.get(d.environment.lower())
        last[d.environment.lower()] = d
        if base is None or base.sha == d.sha:
            continue
        # Both shas are on main, where compare(base...head) is the slice after base up to head
        # (empty when head is older: a rollback).
        start, end = position[base.sha], position[d.sha]
        keys.update(
            (repo.full_name, d.deployment_id, s) for s in repo.main_history[start + 1 : end + 1]
        )
    return keys


def first_success(deployment, clock: datetime) -> datetime | None:
    times = [
        s.created_at for s in deployment.statuses if s.state == "success" and s.created_at <= clock
    ]
    return min(times, default=None)


def pending_at(org, clock: datetime) -> int:
    """Deployments visible at `clock` without a final status then (re-polled each sync)."""
    final = {"success", "failure", "error", "inactive"}
    return sum(
        1
        for repo in org.repos.values()
        for d in repo.deployments
        if d.created_at <= clock
        and not any(s.state in final and s.created_at <= clock for s in d.statuses)
    )
