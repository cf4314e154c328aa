"""The culture-vs-delivery findings `candor demo` prints after the DORA and culture tables.

One table of the confirmatory results (lagged window, Holm across the five outcomes), then in
plain words the results distinguishable from no effect and the mediation paths whose interval
excludes zero, then the caveats. Every number comes from analysis.model_results /
mediation_results as stored; nothing is recomputed here.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from models.analysis.wording import is_distinguishable

FINDINGS_SQL = Path(__file__).with_name("findings.sql")
MEDIATION_SQL = """
    select sentence from analysis.mediation_results
    where indirect_ci_low > 0 or indirect_ci_high < 0
    order by model_id
"""


def percent(ratio: float | None) -> str:
    """A ratio as a signed percent change: 0.77 -> '-23%'."""
    if ratio is None or not math.isfinite(ratio):
        return "n/a"
    value = (ratio - 1) * 100
    return f"{value:+.0f}%" if abs(value) >= 10 else f"{value:+.1f}%"


def _p(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _tables_exist(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'analysis' "
        "and table_name in ('model_results', 'mediation_results')").fetchone()[0] == 2


def print_findings(con: duckdb.DuckDBPyConnection, console: Console) -> int:
    """Print the findings; return the number of confirmatory rows shown."""
    if not _tables_exist(con):
        console.print("No culture-vs-delivery results yet (the analysis has not run).")
        return 0
    rows = con.execute(FINDINGS_SQL.read_text(encoding="utf-8")).fetchall()
    if not rows:
        console.print("Culture vs delivery: too few shown team-waves to fit any model.")
        return 0
    table = Table(title="Culture vs delivery (lagged window; change per 1 SD of the score)")
    for header in ("culture", "outcome", "effect", "change", "95% CI", "Holm p", "teams"):
        table.add_column(header, justify="left" if header in ("culture", "outcome",
                                                              "effect") else "right")
    clear = []
    for (predictor, outcome, estimand, ratio, low, high, p_adj, n_teams, _, _, sentence,
         _) in rows:
        table.add_row(predictor, outcome, estimand, percent(ratio),
                      f"{percent(low)} to {percent(high)}", _p(p_adj), str(n_teams))
        if is_distinguishable(p_adj, p_adj):
            clear.append(sentence)
    console.print(table)
    console.print("Change: ratio of median times (lead, recovery), of deployment rates, or odds "
                  "ratio (failure, rework), minus 1.")
    for sentence in clear:
        console.print(f"- {sentence}")
    teams = max(row[7] for row in rows)
    detectable = min((row[9] for row in rows if row[9] is not None), default=None)
    rest = len(rows) - len(clear)
    if rest:
        could = f" (could detect |r| >= {detectable:.2f})" if detectable else ""
        which = (f"The other {rest} results are not" if clear
                 else f"None of the {rest} results is")
        console.print(f"- {which} distinguishable from no effect with {teams} teams{could}; "
                      "that is not evidence of no effect.")
    for sentence in (row[0] for row in con.execute(MEDIATION_SQL).fetchall()):
        console.print(f"- {sentence}")
    console.print("Associations in observational data, not causes. Every sentence: candor sql "
                  "\"select sentence from analysis.model_results\" (docs/analysis.md).")
    return len(rows)
