"""Find each column role of an export's header, for every instrument the file feeds.

Every header column must have a role: a column nobody declared is a problem, so a new column
holding names or comments can never slip into the warehouse unnoticed. In an export that feeds
several instruments a column needs a role in one of their mappings (the other instrument's items
need not be listed under its `ignore`), and no column may be an item of two instruments.
Problems about the header are placed on the header row (1 unless blank rows come first).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from connectors.surveys.instruments import Instrument, normalize_label
from connectors.surveys.mapping import ColumnMapping
from connectors.surveys.problems import SurveyProblem, shown_value
from connectors.surveys.table import RawTable

UNMAPPED_ALLOWED = (
    "a column named under columns.items, columns.team, columns.respondent_id or "
    "columns.submitted_at, or listed under columns.ignore (names, e-mails and comments belong "
    "there)"
)


@dataclass(frozen=True)
class HeaderIndex:
    """The header's columns by matching key; `repeated` holds the later copies of a repeated
    header (reported once, never read)."""

    positions: dict[str, list[int]]
    repeated: frozenset[int]
    shown: str


@dataclass(frozen=True)
class ResolvedColumns:
    """0-based column indexes of each role of one instrument; a role whose column is missing is
    None / absent. `claimed`: every column this mapping accounts for (read, ignored or already
    reported)."""

    team: int | None
    respondent_id: int | None
    items: dict[str, int]
    ignored: frozenset[int]
    submitted_at: int | None = None
    claimed: frozenset[int] = frozenset()


def index_header(table: RawTable) -> HeaderIndex:
    """Index the header once per file; repeated headers are recorded as problems on `table`."""
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(table.header):
        if name:
            positions.setdefault(normalize_label(name), []).append(index)
    for indexes in positions.values():
        if len(indexes) > 1:
            table.problem(
                table.header_row,
                indexes[1],
                f"the header repeats this column (columns "
                f"{', '.join(str(i + 1) for i in indexes)})",
                allowed="unique headers",
            )
    repeated = frozenset(index for indexes in positions.values() for index in indexes[1:])
    shown = ", ".join(shown_value(name) for name in table.header if name)
    return HeaderIndex(positions, repeated, shown)


def resolve_columns(
    table: RawTable, header: HeaderIndex, mapping: ColumnMapping, instrument: Instrument
) -> ResolvedColumns:
    """Find each role's column of one instrument; missing columns and items mapped to nothing
    are recorded as problems on `table` (the header row). Unmapped columns are judged once for
    the whole file by `report_unclaimed`."""
    positions, header_row = header.positions, table.header_row
    reported = set(header.repeated)  # reported already: not "unmapped" as well

    def find(name: str, role: str) -> int | None:
        found = positions.get(normalize_label(name))
        if found is None:
            table.problems.append(_missing(table, name, role, header.shown))
            return None
        return found[0]

    item_columns = mapping.items or {item_id: item_id for item_id in instrument.item_ids}
    items: dict[str, int] = {}
    for column, item_id in item_columns.items():
        if item_id not in instrument.item_ids:
            reported.update(positions.get(normalize_label(column), []))
            table.problem(
                header_row,
                None,
                f"columns.items maps column '{column}' to '{item_id}', which is "
                f"not an item of instrument '{instrument.instrument_id}'",
                allowed=", ".join(instrument.item_ids),
            )
            continue
        index = find(column, f"item {item_id}")
        if index is not None:
            items[item_id] = index
    for item_id in instrument.item_ids:
        if item_id not in item_columns.values():
            table.problem(
                header_row,
                None,
                f"item '{item_id}' of instrument '{instrument.instrument_id}' "
                "has no column in columns.items",
                allowed="every item mapped to a column",
            )
    team = find(mapping.team, "team")
    respondent = find(mapping.respondent_id, "respondent id") if mapping.respondent_id else None
    submitted = find(mapping.submitted_at, "submitted_at") if mapping.submitted_at else None
    ignored = {i for name in mapping.ignore for i in positions.get(normalize_label(name), [])}
    claimed = {team, respondent, submitted, *items.values(), *ignored, *reported} - {None}
    return ResolvedColumns(
        team, respondent, items, frozenset(ignored), submitted, frozenset(claimed)
    )


def report_unclaimed(table: RawTable, resolved: Mapping[str, ResolvedColumns]) -> None:
    """Judge the header against every instrument the file feeds (by instrument id): a column no
    mapping accounts for is a problem, and so is a column that is an item of two instruments
    (one answer would be scored twice, as two constructs)."""
    claimed = set().union(*(columns.claimed for columns in resolved.values()))
    for index, name in enumerate(table.header):
        if index not in claimed and (name or _has_values(table, index)):
            table.problem(
                table.header_row,
                index,
                "this column is not in the column mapping",
                allowed=UNMAPPED_ALLOWED,
            )
    item_of: dict[int, list[str]] = {}
    for instrument_id, columns in resolved.items():
        for index in columns.items.values():
            item_of.setdefault(index, []).append(instrument_id)
    for index, instruments in sorted(item_of.items()):
        if len(instruments) > 1:
            table.problem(
                table.header_row,
                index,
                f"this column is an item of several instruments ({', '.join(instruments)})",
                allowed="each item column mapped under columns.items of one instrument only",
            )


def _missing(table: RawTable, name: str, role: str, shown_header: str) -> SurveyProblem:
    return SurveyProblem(
        table.file,
        table.header_row,
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
