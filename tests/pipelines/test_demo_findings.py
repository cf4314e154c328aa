"""The findings `candor demo` prints are analysis.model_results' numbers, unchanged."""

from __future__ import annotations

import io

import duckdb
from rich.console import Console

from models.analysis.build import AnalysisSettings, fit_models
from models.analysis.wording import is_distinguishable
from models.analysis.writing import replace_analysis_tables
from pipelines.cli.findings import percent, print_findings
from tests.analysis.synthetic_panel import draw_panel

STRONG = {"lead_time": (-0.5, 0.0), "deployment_frequency": (0.0, 0.0),
          "change_failure_rate": (-0.6, 0.0), "recovery_time": (0.0, 0.0),
          "rework_rate": (0.0, 0.0)}


def _printed(con) -> str:
    buffer = io.StringIO()
    print_findings(con, Console(file=buffer, width=100, force_terminal=False))
    return buffer.getvalue()


def test_printed_findings_equal_the_stored_results():
    con = duckdb.connect()
    rows = fit_models(draw_panel(11, beta=STRONG), AnalysisSettings())
    replace_analysis_tables(con, rows, [])
    text = _printed(con)
    stored = con.execute(
        "select predictor, outcome, estimand, ratio, ratio_ci_low, ratio_ci_high, p_adjusted, "
        "sentence from analysis.model_results where hypothesis = 'confirmatory'").fetchall()
    assert len(stored) == 20  # 2 predictors x 5 outcomes x (between, within)
    table_lines = [line for line in text.splitlines() if line.startswith("│")]
    clear = 0
    for predictor, outcome, estimand, ratio, low, high, p_adj, sentence in stored:
        line = next(x for x in table_lines
                    if f" {predictor} " in x and f" {outcome} " in x and f" {estimand} " in x)
        assert percent(ratio) in line and f"{percent(low)} to {percent(high)}" in line
        if is_distinguishable(p_adj, p_adj):
            clear += 1
            assert " ".join(sentence.split()) in " ".join(text.split())
    # the planted effects make some results clear, and the rest are counted, not listed
    assert clear >= 2
    assert f"The other {len(stored) - clear} results are not distinguishable" in text


def test_no_results_yet_says_so():
    assert "has not run" in _printed(duckdb.connect())
