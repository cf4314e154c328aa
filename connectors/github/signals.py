"""Where a repository's production deployments come from: its deployment signal.

`rules.repo_rules.<repo>.deployments` in candor.yaml chooses one of three signals; the
connector reads the matching GitHub objects:
- `environment`: the Deployments API (deployments and their statuses), the default;
- `workflow`: GitHub Actions runs of the deploy workflow (`workflow_runs.py`);
- `release`: published releases whose tag matches a pattern (`releases.py`).

The SQL models apply the same rules again from meta.repo_deployment_signals: the connector
uses them only to decide what to fetch and which deployments form change-set chains. Patterns
are compiled with RE2 (linear time on API data, the same engine as DuckDB).
"""

from __future__ import annotations

from dataclasses import dataclass

from connectors.github.client import GitHubConfigError
from connectors.github.production_rule import ProductionRule, Re2Rule

SIGNALS = ("environment", "workflow", "release")

FAILED_CONCLUSIONS = frozenset({"failure", "timed_out", "startup_failure"})
"""Conclusions of a completed deploy run that make it a failed deployment attempt. The others
(cancelled, skipped, neutral, action_required, stale) neither deploy nor fail: a cancelled
deploy was stopped on purpose, a skipped one never started."""

RELEASE_ENVIRONMENT = "release"
"""The `environment` (chain name) of release deployments: a repository's releases are one chain."""


@dataclass(frozen=True)
class RepoSignal:
    """One repository's deployment signal and its rule.

    `production_environment` is used by `environment`; `workflow_regex` (searched in a run's
    workflow name and file path) and `branch` (None: any) by `workflow`; `tag_regex` by
    `release`.
    """

    signal: str = "environment"
    production_environment: str = r"(?i)^(production|prod-.+)$"
    workflow_regex: str | None = None
    branch: str | None = None
    tag_regex: str | None = None

    def __post_init__(self) -> None:
        if self.signal not in SIGNALS:
            raise GitHubConfigError(
                f"Deployment signal {self.signal!r} is not one of {', '.join(SIGNALS)}: fix "
                "rules.repo_rules.<repo>.deployments.signal in candor.yaml."
            )
        if self.signal == "workflow" and not self.workflow_regex:
            raise GitHubConfigError(
                "A workflow deployment signal needs workflow_regex: set "
                "rules.repo_rules.<repo>.deployments.workflow_regex in candor.yaml."
            )
        if self.signal == "release" and not self.tag_regex:
            raise GitHubConfigError(
                "A release deployment signal needs tag_regex: set "
                "rules.repo_rules.<repo>.deployments.tag_regex in candor.yaml."
            )


def as_signal(rule: str | RepoSignal) -> RepoSignal:
    """A bare production-environment regex (the older form) is the environment signal."""
    return rule if isinstance(rule, RepoSignal) else RepoSignal(production_environment=rule)


class WorkflowRule:
    """Which Actions runs of one repository are deploy runs."""

    def __init__(self, signal: RepoSignal, repo: str) -> None:
        setting = f"rules.repo_rules.{repo}.deployments.workflow_regex"
        self.workflow = Re2Rule(signal.workflow_regex or "", setting)
        self.branch = signal.branch

    def is_deploy_run(self, name: str | None, path: str | None, branch: str | None) -> bool:
        """The run belongs to the deploy workflow (name or path matches) on the right branch."""
        if self.branch is not None and branch != self.branch:
            return False
        return self.workflow.matches(name) or self.workflow.matches(path)


def production_rule(signal: RepoSignal, repo: str) -> ProductionRule:
    return ProductionRule(signal.production_environment, repo)
