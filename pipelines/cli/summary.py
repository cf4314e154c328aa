"""The per-team DORA table `candor demo` prints: raw numbers first, tiers with their year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import duckdb
from rich.console import Console
from rich.table import Table

from pipelines.shared.freshness import stale_repositories

SUMMARY_SQL = Path(__file__).with_name("team_month_summary.sql")
CULTURE_SQL = Path(__file__).with_name("team_culture_summary.sql")
NO_DATA = "n/a"  # no deployments (or nothing recovered) in the month: not "low", just no data


def _hours(value: float | None) -> str:
    if value is None:
        return NO_DATA
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} d"


def _rate(numerator: int, rate: float | None) -> str:
    return NO_DATA if rate is None else f"{rate:.0%} ({numerator})"


def _tier(tier: str | None) -> str:
    return tier or NO_DATA


def _named_rows(con: duckdb.DuckDBPyConnection, path: Path) -> list[dict[str, Any]]:
    """The query's rows as column name → value, so a column added to it breaks nothing."""
    cursor = con.execute(path.read_text(encoding="utf-8"))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def print_team_summary(con: duckdb.DuckDBPyConnection, console: Console) -> int:
    """Print the latest complete month per team, as two tables that fit 100 columns: the
    measured values, then their DORA tiers; return the number of teams shown."""
    rows = _named_rows(con, SUMMARY_SQL)
    if not rows:
        console.print("No complete month of production deployments in the warehouse yet.")
        return 0
    month, year = rows[0]["month_start"], rows[0]["tier_report_year"]
    measured = Table(title=f"DORA metrics per team, {month:%B %Y}")
    for header in (
        "team",
        "deploys",
        "lead time p50",
        "lead time p90",
        "change fail rate",
        "recovery p50",
        "rework rate",
    ):
        measured.add_column(header, justify="left" if header == "team" else "right")
    tiers = Table(title=f"DORA tiers, {month:%B %Y} (DORA {year} report; raw numbers above)")
    for header in ("team", "deploy freq.", "lead time", "change fail", "recovery", "Quick Check"):
        tiers.add_column(header, justify="left" if header == "team" else "right")
    for row in rows:
        quick = row["quick_check_overall"]
        measured.add_row(
            row["team"],
            str(row["deployments"]),
            _hours(row["lead_time_median_hours"]),
            _hours(row["lead_time_p90_hours"]),
            _rate(row["failed_deployments"], row["change_failure_rate"]),
            _hours(row["recovery_median_hours"]),
            _rate(row["rework_deployments"], row["rework_rate"]),
        )
        tiers.add_row(
            row["team"],
            _tier(row["deployment_frequency_tier"]),
            _tier(row["lead_time_tier"]),
            _tier(row["change_failure_rate_tier"]),
            _tier(row["recovery_tier"]),
            NO_DATA if quick is None else f"{quick:.1f}/10",
        )
    console.print(measured)
    console.print(tiers)
    return len(rows)


def print_culture_summary(con: duckdb.DuckDBPyConnection, console: Console) -> int:
    """Print the latest survey wave per team and instrument; return the rows shown."""
    rows = _named_rows(con, CULTURE_SQL)
    if not rows:
        console.print("No culture survey imported yet.")
        return 0
    table = Table(
        title=f"Culture survey, wave {rows[0]['wave']} (bands: Candor convention, not DORA's)"
    )
    for header in ("team", "instrument", "respondents", "mean (1-7)", "agreement rwg(j)", "band"):
        table.add_column(header, justify="left" if header in ("team", "instrument") else "right")
    for row in rows:
        team, instrument = row["team"], row["instrument"]
        if row["suppressed"]:
            table.add_row(team, instrument, "below minimum", "suppressed", "", "")
            continue
        table.add_row(team, instrument, str(row["n_respondents"]), f"{row['mean']:.2f}",
                      f"{row['rwg_j']:.2f}", row["typology_band"] or NO_DATA)
    console.print(table)
    return len(rows)


def print_stale_repositories(con: duckdb.DuckDBPyConnection, console: Console) -> int:
    """Print a warning per stale repository to standard error; return how many."""
    lines = stale_repository_lines(con)
    for line in lines:
        click.echo(line, err=True)
    return len(lines)


def stale_repository_lines(
    con: duckdb.DuckDBPyConnection, skip: set[str] = frozenset()
) -> list[str]:
    """One warning per configured repository whose data marts.source_freshness calls stale
    (last successful sync older than rules.stale_after_hours, or never): its numbers are out of
    date. Repositories in `skip` (reported otherwise) get none."""
    lines = []
    for stale in stale_repositories(con):
        if stale.repo in skip:
            continue
        if stale.last_success_at is None:
            since = "has never synced successfully"
        else:
            days = (stale.assessed_at - stale.last_success_at).total_seconds() / 86_400
            on = f"{stale.last_success_at:%Y-%m-%d}"
            since = f"last synced successfully {days:.1f} days ago ({on})"
        reason = f"; last error: {stale.last_error}" if stale.last_error else ""
        lines.append(f"Warning: {stale.repo} {since}, so its numbers are stale{reason}")
    return lines
