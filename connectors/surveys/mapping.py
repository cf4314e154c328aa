"""Which column of an export plays which role: team, respondent id, items, or ignored.

Config shape (`columns:` of a survey in candor.yaml):

    columns:
      team: Team
      respondent_id: Response ID        # optional; stored only as a salted hash
      items: {WES1: westrum_1, WES2: westrum_2, ...}   # optional; default: headers are item ids
      ignore: [Name, E-mail, Comments, Submitted]

Every header column must have a role: a column nobody declared is a problem, so a new column
holding names or comments can never slip into the warehouse unnoticed. Ignored columns are never
read into records. Header names match case- and whitespace-insensitively.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.surveys.instruments import Instrument, normalize_label
from connectors.surveys.problems import SurveyProblem, shown_value
from connectors.surveys.table import RawTable

UNMAPPED_ALLOWED = (
    "a column named under columns.items, columns.team or columns.respondent_id, or listed under "
    "columns.ignore (names, e-mails and comments belong there)"
)


class ColumnMappingError(ValueError):
    """The `columns:` setting of a survey is malformed; the message names the key."""


@dataclass(frozen=True)
class ColumnMapping:
    """Column roles by header name. items maps header -> item id (None: headers are item ids)."""

    team: str = "team"
    respondent_id: str | None = None
    items: Mapping[str, str] | None = None
    ignore: tuple[str, ...] = field(default=())

    @classmethod
    def from_config(cls, value: Any, where: str = "columns") -> ColumnMapping:
        """Build from the plain dict of candor.yaml; raises ColumnMappingError naming the key."""
        if not isinstance(value, Mapping):
            raise ColumnMappingError(f"{where} must be a mapping with team, items, ignore, ...")
        unknown = sorted(set(value) - {"team", "respondent_id", "items", "ignore"})
        if unknown:
            raise ColumnMappingError(
                f"{where} has unknown key(s) {unknown}; allowed: team, respondent_id, items, ignore"
            )
        team, respondent_id = value.get("team", "team"), value.get("respondent_id")
        items, ignore = value.get("items"), value.get("ignore", [])
        if not isinstance(team, str) or not team.strip():
            raise ColumnMappingError(f"{where}.team must name the team column")
        if respondent_id is not None and not (isinstance(respondent_id, str) and respondent_id):
            raise ColumnMappingError(f"{where}.respondent_id must name a column, or be left out")
        if items is not None and not (
            isinstance(items, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in items.items())
        ):
            raise ColumnMappingError(f"{where}.items must map column headers to item ids")
        if items is not None and len(set(items.values())) != len(items):
            raise ColumnMappingError(f"{where}.items maps two columns to the same item id")
        if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
            raise ColumnMappingError(f"{where}.ignore must be a list of column headers")
        mapping = cls(team, respondent_id, dict(items) if items else None, tuple(ignore))
        mapping.check_roles_disjoint(where)
        return mapping

    def check_roles_disjoint(self, where: str = "columns") -> None:
        named = [self.team, *([self.respondent_id] if self.respondent_id else [])]
        named += [*(self.items or {}), *self.ignore]
        keys = [normalize_label(name) for name in named]
        repeated = sorted(
            {name for name, key in zip(named, keys, strict=True) if keys.count(key) > 1}
        )
        if repeated:
            raise ColumnMappingError(f"{where} gives column(s) {repeated} more than one role")


@dataclass(frozen=True)
class ResolvedColumns:
    """0-based column indexes of each role; a role whose column is missing is None / absent."""

    team: int | None
    respondent_id: int | None
    items: dict[str, int]
    ignored: frozenset[int]


def resolve_columns(
    table: RawTable, mapping: ColumnMapping, instrument: Instrument
) -> ResolvedColumns:
    """Find each role's column in the header; missing, repeated and unmapped columns are
    recorded as problems on `table` (row 1)."""
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(table.header):
        if name:
            positions.setdefault(normalize_label(name), []).append(index)
    # Columns already reported (repeated headers, mapped to unknown items): not "unmapped" too.
    reported = {index for indexes in positions.values() for index in indexes[1:]}
    for indexes in positions.values():
        if len(indexes) > 1:
            table.problem(
                1,
                indexes[1],
                f"the header repeats this column (columns "
                f"{', '.join(str(i + 1) for i in indexes)})",
                allowed="unique headers",
            )
    shown_header = ", ".join(shown_value(name) for name in table.header if name)

    def find(name: str, role: str) -> int | None:
        found = positions.get(normalize_label(name))
        if found is None:
            table.problems.append(_missing(table.file, name, role, shown_header))
            return None
        return found[0]

    item_columns = mapping.items or {item_id: item_id for item_id in instrument.item_ids}
    items: dict[str, int] = {}
    for header, item_id in item_columns.items():
        if item_id not in instrument.item_ids:
            reported.update(positions.get(normalize_label(header), []))
            table.problem(
                1,
                None,
                f"columns.items maps column '{header}' to '{item_id}', which is "
                f"not an item of instrument '{instrument.instrument_id}'",
                allowed=", ".join(instrument.item_ids),
            )
            continue
        index = find(header, f"item {item_id}")
        if index is not None:
            items[item_id] = index
    for item_id in instrument.item_ids:
        if item_id not in item_columns.values():
            table.problem(
                1,
                None,
                f"item '{item_id}' of instrument '{instrument.instrument_id}' "
                "has no column in columns.items",
                allowed="every item mapped to a column",
            )
    team = find(mapping.team, "team")
    respondent = find(mapping.respondent_id, "respondent id") if mapping.respondent_id else None
    ignored = {i for name in mapping.ignore for i in positions.get(normalize_label(name), [])}
    claimed = {team, respondent, *items.values(), *ignored, *reported}
    for index, name in enumerate(table.header):
        if index not in claimed and (name or _has_values(table, index)):
            table.problem(
                1, index, "this column is not in the column mapping", allowed=UNMAPPED_ALLOWED
            )
    return ResolvedColumns(team, respondent, items, frozenset(ignored))


def _missing(file: str, name: str, role: str, shown_header: str) -> SurveyProblem:
    return SurveyProblem(
        file,
        1,
        name,
        None,
        f"the {role} column is missing from the header",
        allowed=f"the header has: {shown_header}",
    )


def _has_values(table: RawTable, index: int) -> bool:
    return any(
        index < len(row.cells)
        and row.cells[index] not in (None, "")
        and str(row.cells[index]).strip()
        for row in table.rows
    )
