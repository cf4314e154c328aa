"""Build the culture tables: scores, agreement, reliability and anonymity in one pass.

Entry point for the pipeline asset: reads raw.survey_answers / raw.survey_waves /
meta.survey_items and replaces marts.culture_team_wave, marts.culture_org_wave and
analysis.reliability in one transaction. Rules and formulas: docs/culture.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import duckdb

from models.culture.anonymity import (
    DEFAULT_ANONYMITY_MINIMUM,
    check_anonymity_minimum,
    shown_part,
)
from models.culture.inputs import load_blocks, load_items
from models.culture.instrument_wave import reliability_row, team_icc
from models.culture.rows import OrgWaveRow, ReliabilityRow, TeamWaveRow
from models.culture.scoring import DEFAULT_MISSING_RULE, MissingItemRule, person_scores
from models.culture.team_wave import BlockSettings, org_wave_row, team_wave_rows
from models.culture.typology import Bands, default_bands
from models.culture.writing import replace_culture_tables


@dataclass(frozen=True)
class CultureBuildSummary:
    """What a build wrote, for the asset's metadata and the report."""

    team_wave_rows: int
    suppressed_team_waves: int
    org_wave_rows: int
    reliability_rows: int
    # (instrument, wave) -> respondents of shown teams not scored under the missing-item rule
    dropped_missing: dict[tuple[str, str], int] = field(default_factory=dict)


def build_culture_tables(
    con: duckdb.DuckDBPyConnection,
    anonymity_minimum: int = DEFAULT_ANONYMITY_MINIMUM,
    team_sizes: dict[str, int] | None = None,
    missing_rules: Mapping[str, MissingItemRule | Mapping[str, float]] | None = None,
    bands: Mapping[str, Bands | Mapping] | None = None,
) -> CultureBuildSummary:
    """Score every instrument-wave and replace the three culture tables.

    anonymity_minimum: smallest number of scored respondents shown for a team-wave (>= 3).
    team_sizes: roster size per team, for response rates; teams listed here get a row (shown
        as suppressed) in waves they did not answer.
    missing_rules: per instrument, a MissingItemRule or {"min_answered": n} / {"min_share": x};
        default: at least 5/6 of the items answered (5 of 6, 6 of 7).
    bands: per instrument, Bands or {"cut_points": [...], "labels": [...]}; default equal
        thirds of the scale (Westrum names for instruments whose id starts with "westrum").
    """
    minimum = check_anonymity_minimum(anonymity_minimum)
    sizes = _team_sizes(team_sizes or {})
    declared = load_items(con)
    rules = {
        name: MissingItemRule.from_config(rule)
        for name, rule in _for_declared("missing_rules", missing_rules or {}, declared).items()
    }
    custom_bands = {
        name: Bands.from_config(value)
        for name, value in _for_declared("bands", bands or {}, declared).items()
    }
    team_rows: list[TeamWaveRow] = []
    org_rows: list[OrgWaveRow] = []
    reliability_rows: list[ReliabilityRow] = []
    dropped: dict[tuple[str, str], int] = {}
    for block in load_blocks(con):
        rule = rules.get(block.instrument, DEFAULT_MISSING_RULE)
        settings = BlockSettings(
            anonymity_minimum=minimum,
            bands=custom_bands.get(block.instrument)
            or default_bands(block.instrument, block.scale_points),
            team_sizes=sizes,
        )
        persons = person_scores(block.keyed, rule, block.instrument)
        # Instrument-level figures come from the shown teams only (secondary suppression).
        shown, shown_persons = shown_part(block, persons, minimum)
        icc = team_icc(shown, shown_persons)
        teams = team_wave_rows(block, persons, settings, None if icc is None else icc.icc2)
        n_suppressed = sum(row.suppressed for row in teams)
        team_rows.extend(teams)
        org_rows.append(org_wave_row(block, persons, teams, settings))
        reliability_rows.append(reliability_row(shown, shown_persons, icc, rule, n_suppressed))
        dropped[(block.instrument, block.wave)] = shown_persons.n_dropped
    replace_culture_tables(con, team_rows, org_rows, reliability_rows)
    return CultureBuildSummary(
        team_wave_rows=len(team_rows),
        suppressed_team_waves=sum(row.suppressed for row in team_rows),
        org_wave_rows=len(org_rows),
        reliability_rows=len(reliability_rows),
        dropped_missing=dropped,
    )


def _team_sizes(sizes: Mapping[str, int]) -> dict[str, int]:
    for team, size in sizes.items():
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"team size of '{team}' is {size!r}; give a whole number >= 1")
    return dict(sizes)


def _for_declared(setting: str, per_instrument: Mapping, declared: Mapping) -> Mapping:
    unknown = sorted(set(per_instrument) - set(declared))
    if unknown:
        raise ValueError(
            f"{setting} names instrument(s) {unknown} that meta.survey_items does not declare "
            f"(declared: {sorted(declared)}); fix the instrument id"
        )
    return per_instrument
