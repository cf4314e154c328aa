"""The metric rules the oracle applies, with the defaults of candor.yaml's `rules:` section.

Kept apart from pipelines/config.py on purpose: the oracle must not share code with the
pipeline it checks, only the documented rules (docs/configuration.md, docs/metrics.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

DEFAULT_PRODUCTION = r"(?i)^(production|prod-.+)$"


@dataclass(frozen=True)
class OracleRules:
    """Production regex (with per-repo overrides), hotfix, revert and incident rules.

    Regexes are searched (`re.search`), as the defaults carry their own anchors. Label
    comparisons ignore case, as GitHub label names do.
    """

    production_environment: str = DEFAULT_PRODUCTION
    repo_production_environment: dict[str, str] = field(default_factory=dict)
    hotfix_labels: tuple[str, ...] = ("hotfix",)
    hotfix_head_branch_regex: str = r"(?i)^hotfix/"
    revert_title_regex: str = r"^Revert "
    revert_message_regex: str = r"This reverts commit ([0-9a-f]{7,40})"
    incident_labels: tuple[str, ...] = ("incident",)
    incident_link_window_hours: float = 24.0
    # repo -> its `deployments:` rule (signal workflow or release); absent: environment
    repo_deployments: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, rules: dict[str, Any]) -> OracleRules:
        """From the `rules:` section of a candor.yaml (as parsed YAML); absent keys keep the
        defaults."""
        default = cls()
        hotfix, revert = rules.get("hotfix", {}), rules.get("revert", {})
        return cls(
            production_environment=rules.get("production_environment",
                                             default.production_environment),
            repo_production_environment={
                repo: override["production_environment"]
                for repo, override in (rules.get("repo_rules") or {}).items()
                if "production_environment" in override},
            hotfix_labels=tuple(hotfix.get("labels", default.hotfix_labels)),
            hotfix_head_branch_regex=hotfix.get("head_branch_regex",
                                                default.hotfix_head_branch_regex),
            revert_title_regex=revert.get("title_regex", default.revert_title_regex),
            revert_message_regex=revert.get("message_regex", default.revert_message_regex),
            incident_labels=tuple(rules.get("incident", {}).get("labels",
                                                                default.incident_labels)),
            incident_link_window_hours=float(rules.get("incident_link_window_hours",
                                                       default.incident_link_window_hours)),
            repo_deployments={
                repo: dict(override["deployments"])
                for repo, override in (rules.get("repo_rules") or {}).items()
                if "deployments" in override},
        )

    def signal(self, repo: str) -> str:
        """environment, workflow or release (rules.repo_rules.<repo>.deployments.signal)."""
        return self.repo_deployments.get(repo, {}).get("signal", "environment")

    def is_deploy_run(self, repo: str, name: str, path: str, branch: str) -> bool:
        """A run of the repo's deploy workflow: name or path matches, on the rule's branch."""
        rule = self.repo_deployments[repo]
        if rule.get("branch") is not None and branch != rule["branch"]:
            return False
        return any(re.search(rule["workflow_regex"], text) for text in (name, path))

    def is_release_tag(self, repo: str, tag: str) -> bool:
        rule = self.repo_deployments[repo]
        return re.search(rule.get("tag_regex", r"^v?[0-9]+(\.[0-9]+)*$"), tag) is not None

    def is_production(self, repo: str, environment: str) -> bool:
        pattern = self.repo_production_environment.get(repo, self.production_environment)
        return re.search(pattern, environment) is not None

    def is_hotfix(self, labels: list[str], head_ref: str) -> bool:
        wanted = {label.lower() for label in self.hotfix_labels}
        return bool(wanted & {label.lower() for label in labels}) or (
            re.search(self.hotfix_head_branch_regex, head_ref) is not None)

    def is_revert_title(self, title: str) -> bool:
        return re.search(self.revert_title_regex, title) is not None

    def reverted_shas(self, message: str) -> list[str]:
        """The (possibly abbreviated) shas a commit message says it reverts."""
        return [m.group(1).lower() for m in self._revert_message.finditer(message)]

    def is_incident(self, labels: list[str]) -> bool:
        wanted = {label.lower() for label in self.incident_labels}
        return bool(wanted & {label.lower() for label in labels})

    @cached_property
    def _revert_message(self) -> re.Pattern[str]:
        return re.compile(self.revert_message_regex)
