"""The fitted results are kept when the panel, the settings and the code are unchanged
(models/analysis/fit_state.py), and refitted when any of them changes or the run forces it.

On a small simulated org loaded directly; which calls must refit is stated by hand per step.
"""

from __future__ import annotations

from dataclasses import replace

from models.analysis.build import AnalysisSettings, build_analysis
from simulator.direct_load import build_marts, direct_config, load_org
from simulator.generator import generate_org
from warehouse.connection import connect
from warehouse.fingerprint import warehouse_fingerprint


def results(con) -> dict[str, str]:
    return warehouse_fingerprint(con, ("analysis",))


def test_results_are_kept_until_the_panel_the_settings_or_force_say_otherwise(tmp_path):
    org = generate_org(seed=5, teams=6, months=6)
    config = direct_config(org, tmp_path / "w.duckdb", tmp_path / "surveys")
    con = connect(tmp_path / "w.duckdb")
    try:
        load_org(org, con, config)
        build_marts(con, config)
        settings = AnalysisSettings(bootstrap_replicates=40)
        first = build_analysis(con, settings, rebuild_panel=False, force=False)
        assert not first.kept and first.model_results  # nothing recorded yet: fitted
        fitted = results(con)
        again = build_analysis(con, settings, rebuild_panel=False, force=False)
        assert again.kept and again.model_results == [] and results(con) == fitted
        # another setting: refitted (the bootstrap's replicates move the mediation rows)
        other = replace(settings, bootstrap_replicates=60)
        assert not build_analysis(con, other, rebuild_panel=False, force=False).kept
        assert results(con) != fitted
        assert build_analysis(con, other, rebuild_panel=False, force=False).kept
        # a changed panel: one team-wave fewer
        team, wave = con.execute("select team, wave from marts.culture_vs_delivery "
                                 "order by team, wave limit 1").fetchone()
        con.execute("delete from marts.culture_vs_delivery where team = $team and wave = $wave",
                    {"team": team, "wave": wave})
        assert not build_analysis(con, other, rebuild_panel=False, force=False).kept
        assert not build_analysis(con, other, rebuild_panel=False, force=True).kept
    finally:
        con.close()
