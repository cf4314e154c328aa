"""Which column of an export plays which role: team, respondent id, submission time, items, or
ignored.

Config shape (`columns:` of a survey in candor.yaml):

    columns:
      team: Team
      respondent_id: Response ID        # optional; stored only as a salted hash
      submitted_at: Submitted           # optional, recommended: answers outside the wave refused
      items: {WES1: westrum_1, WES2: westrum_2, ...}   # optional; default: headers are item ids
      ignore: [Name, E-mail, Comments]

Every header column must have a role (how a header is judged: `header.py`). Ignored columns
are never read into records. Header names match case- and whitespace-insensitively.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.surveys.instruments import normalize_label

ROLES = ("team", "respondent_id", "submitted_at", "items", "ignore")


class ColumnMappingError(ValueError):
    """The `columns:` setting of a survey is malformed; the message names the key."""


@dataclass(frozen=True)
class ColumnMapping:
    """Column roles by header name. items maps header -> item id (None: headers are item ids)."""

    team: str = "team"
    respondent_id: str | None = None
    items: Mapping[str, str] | None = None
    ignore: tuple[str, ...] = field(default=())
    submitted_at: str | None = None

    @classmethod
    def from_config(cls, value: Any, where: str = "columns") -> ColumnMapping:
        """Build from the plain dict of candor.yaml; raises ColumnMappingError naming the key."""
        if not isinstance(value, Mapping):
            raise ColumnMappingError(f"{where} must be a mapping with team, items, ignore, ...")
        unknown = sorted(set(value) - set(ROLES))
        if unknown:
            raise ColumnMappingError(
                f"{where} has unknown key(s) {unknown}; allowed: {', '.join(ROLES)}"
            )
        team, respondent_id = value.get("team", "team"), value.get("respondent_id")
        submitted_at = value.get("submitted_at")
        items, ignore = value.get("items"), value.get("ignore", [])
        if not isinstance(team, str) or not team.strip():
            raise ColumnMappingError(f"{where}.team must name the team column")
        if respondent_id is not None and not (isinstance(respondent_id, str) and respondent_id):
            raise ColumnMappingError(f"{where}.respondent_id must name a column, or be left out")
        if submitted_at is not None and not (isinstance(submitted_at, str) and submitted_at):
            raise ColumnMappingError(f"{where}.submitted_at must name a column, or be left out")
        if items is not None and not (
            isinstance(items, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in items.items())
        ):
            raise ColumnMappingError(f"{where}.items must map column headers to item ids")
        if items is not None and len(set(items.values())) != len(items):
            raise ColumnMappingError(f"{where}.items maps two columns to the same item id")
        if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
            raise ColumnMappingError(f"{where}.ignore must be a list of column headers")
        mapping = cls(
            team, respondent_id, dict(items) if items else None, tuple(ignore), submitted_at
        )
        mapping.check_roles_disjoint(where)
        return mapping

    def check_roles_disjoint(self, where: str = "columns") -> None:
        named = [self.team, *(c for c in (self.respondent_id, self.submitted_at) if c)]
        named += [*(self.items or {}), *self.ignore]
        keys = [normalize_label(name) for name in named]
        repeated = sorted(
            {name for name, key in zip(named, keys, strict=True) if keys.count(key) > 1}
        )
        if repeated:
            raise ColumnMappingError(f"{where} gives column(s) {repeated} more than one role")
