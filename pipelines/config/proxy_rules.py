"""Rules of the behavioural proxies (`rules.near_miss`, `rules.proactive`, `rules.postmortem`,
`rules.review_participation`, `rules.bot_login_regex`): docs/metrics.md, "Behavioural proxies".

Every proxy is a heuristic; these rules say which records it counts, and marts.behaviour_team_month
writes the rule text beside each figure. Patterns are validated by DuckDB's RE2, the engine that
applies them, so a pattern the models cannot run is refused at load, naming its key.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from pipelines.config.regex import check_re2
from pipelines.config.strict import StrictModel

# GitHub App accounts (dependabot[bot], github-actions[bot], alerting integrations) always end
# in "[bot]"; a person's login cannot contain brackets.
DEFAULT_BOT_LOGIN_REGEX = r"(?i)\[bot\]$"


def _re2(value: str | None) -> str | None:
    return None if value is None else check_re2(value)


def _lower_unique(labels: list[str]) -> list[str]:
    # Labels are compared case-insensitively in SQL; keep the list short and stable.
    return list(dict.fromkeys(label.strip().lower() for label in labels if label.strip()))


class NearMissRule(StrictModel):
    """A record is a near miss when any part matches: a label, the title pattern, or (incident
    tools) a priority or urgency name on an incident with no customer impact."""

    labels: list[str] = Field(default_factory=lambda: ["near-miss", "near miss"])
    title_regex: str | None = Field(r"(?i)\bnear[- ]?miss\b", min_length=1)
    priorities: list[str] = Field(default_factory=list)
    """Incident-tool priority names that mark a near miss (e.g. P5); no GitHub data has one."""
    urgencies: list[str] = Field(default_factory=list)
    """Incident-tool urgencies that mark a near miss (e.g. low); no GitHub data has one."""

    _regex = field_validator("title_regex")(_re2)
    _labels = field_validator("labels", "priorities", "urgencies")(_lower_unique)


class ProactiveRule(StrictModel):
    """Issues raised before anything broke: one of these labels, opened by a member of the owning
    team, and not caused by an incident (it names one, or was opened within
    `incident_window_hours` after one of the team's incidents was opened; 0 switches the window
    off)."""

    labels: list[str] = Field(
        default_factory=lambda: ["bug", "risk", "security", "tech-debt", "enhancement"]
    )
    incident_window_hours: float = Field(24, ge=0, le=24 * 14)

    _labels = field_validator("labels")(_lower_unique)


class PostmortemRule(StrictModel):
    """A change-related incident has a postmortem when it carries one of these labels, or an
    issue with one of them names it (#N or owner/repo#N) after it was opened. An empty list
    switches the postmortem rate off (NULL, with the reason)."""

    labels: list[str] = Field(default_factory=lambda: ["postmortem"])

    _labels = field_validator("labels")(_lower_unique)


class ReviewParticipationRule(StrictModel):
    """Review activity over the full roster: reviews submitted plus review comments on the
    team's pull requests; the figures are NULL below the two minimums."""

    question_regex: str = Field(r"\?", min_length=1)
    """A review comment whose text matches asks a question."""
    min_roster: int = Field(3, ge=2)
    min_events: int = Field(10, ge=1)

    _regex = field_validator("question_regex")(_re2)
