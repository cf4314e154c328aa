"""Config patterns matched with RE2 on text the API sends: the production-environment rule, and
(`Re2Rule`) the workflow and release-tag rules of the deployment signals.

The production rule is a regular expression from candor.yaml, applied to every deployment's
`environment`: text from the API, so from outside. Python's `re` backtracks, and a pattern such
as `(a+)+$` takes exponential time on a long enough name, hanging the run. RE2 (the engine
DuckDB's SQL rules use as well) matches in time linear in the name, whatever the pattern, and
refuses the constructs that need backtracking (lookaround, backreferences).
"""

from __future__ import annotations

import re2

from connectors.github.client import GitHubConfigError

_SETTING = "rules.production_environment"


def _options() -> re2.Options:
    options = re2.Options()
    # RE2 logs compile errors to stderr by default; the error is raised with its reason instead.
    options.log_errors = False
    return options


class Re2Rule:
    """A searched RE2 pattern from candor.yaml; `setting` names its key in error messages."""

    def __init__(self, pattern: str, setting: str, repo: str = "",
                 fix: str = "fix it in candor.yaml.") -> None:
        self.pattern = pattern
        try:
            self._regexp = re2.compile(pattern, _options())
        except re2.error as err:
            reason = err.args[0] if err.args else err
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", "replace")
            where = f" for {repo}" if repo else ""
            raise GitHubConfigError(
                f"{setting} {pattern!r}{where} is not a valid RE2 regular expression "
                f"({reason}): {fix}"
            ) from None

    def matches(self, text: str | None) -> bool:
        """True if the pattern is found anywhere in `text` (never in a missing value)."""
        return text is not None and self._regexp.search(text) is not None


class ProductionRule(Re2Rule):
    """Which deployment environments count as production for one repository."""

    def __init__(self, pattern: str, repo: str = "") -> None:
        super().__init__(
            pattern, _SETTING, repo,
            fix=f"fix {_SETTING} (or its rules.repo_rules override) in candor.yaml; RE2 has no "
                "lookahead, lookbehind or backreferences.")
