"""A production rule changed between runs gives the marts a fresh run under the new rule gives.

Which deployments get a change set is decided while syncing, and an incremental sync reads only
what is new; so a deployments cursor built under the old rule is dropped when the rule changes
(connectors/github/rule_stamp.py). Without that, the `prod-eu`/`prod-us` deployments the wider
rule starts counting keep empty change sets, and their pull requests are missing from
marts.changes while every check passes (issue 8).
"""

from __future__ import annotations

import logging

import yaml

from pipelines.cli.execution import run_pipeline
from warehouse.connection import connect_read_only
from warehouse.fingerprint import warehouse_fingerprint

SANDBOX = {"seed": 11, "teams": 4, "months": 2}  # team 4 deploys to prod-eu and prod-us
NARROW = "(?i)^production$"
WIDE = "(?i)^(production|prod-.+)$"


def run(directory, warehouse, rule, *, full_refresh=False):
    config = directory / f"candor-{abs(hash((rule, full_refresh)))}.yaml"
    config.write_text(yaml.safe_dump({
        "warehouse": {"path": str(warehouse)},
        "sandbox": SANDBOX,
        "sources": {"github": {"base_url": "sandbox", "org": "acme", "max_workers": 2}},
        "rules": {"production_environment": rule},
    }))
    assert run_pipeline(str(config), quiet=True, full_refresh=full_refresh).success


def marts(warehouse):
    con = connect_read_only(warehouse)
    try:
        prints = warehouse_fingerprint(con, ("marts",))
        counts = dict(con.execute(
            "select 'changes', count(*) from marts.changes union all "
            "select 'prod_regions', count(*) from marts.deployments "
            "where environment like 'prod-%'"
        ).fetchall())
    finally:
        con.close()
    return prints, counts


def test_a_wider_rule_on_an_incremental_run_matches_a_fresh_run(tmp_path, caplog):
    changed, fresh = tmp_path / "changed.duckdb", tmp_path / "fresh.duckdb"
    run(tmp_path, changed, NARROW)
    _, narrow_counts = marts(changed)
    with caplog.at_level(logging.WARNING, logger="connectors.github.rule_stamp"):
        run(tmp_path, changed, WIDE)
    run(tmp_path, fresh, WIDE, full_refresh=True)

    changed_prints, changed_counts = marts(changed)
    fresh_prints, fresh_counts = marts(fresh)
    # The organization deploys to prod-eu/prod-us as well, so the wider rule counts more
    # deployments and ships more changes: the comparison below could fail.
    assert narrow_counts["prod_regions"] == 0 < fresh_counts["prod_regions"]
    assert narrow_counts["changes"] < fresh_counts["changes"]
    assert changed_counts == fresh_counts
    # Every mart, not only the counts, is what the fresh run built (freshness aside).
    differing = {t for t in fresh_prints if changed_prints.get(t) != fresh_prints[t]}
    assert differing <= {"marts.source_freshness"}, differing
    said = [r.getMessage() for r in caplog.records if "deployment rule changed" in r.getMessage()]
    assert said and all(NARROW in m and "prod-.+" in m for m in said)
