"""Incident -> deployment links scored against the generator's truth (link_quality.py), on a
simulated organization read from GitHub and PagerDuty through the whole pipeline: printed per
source and method (run with -s to see them), explicit, revert and rollback links held to
0.95, and every right link to the whole release (each region's deployment). Every GitHub
incident issue is also a PagerDuty incident naming it, so it is that incident's duplicate and
the PagerDuty incident is what is linked (test_pagerduty_alike.py: the failures are the ones
GitHub alone gives)."""

from __future__ import annotations

import duckdb
import pytest
import yaml
from click.testing import CliRunner
from link_quality import report, score_links

from pipelines.cli.main import cli
from pipelines.config.schema import SandboxConfig
from pipelines.shared.sandbox import sandbox_org
from simulator.pagerduty_world import pagerduty_world

SANDBOX = {"seed": 3, "teams": 3, "months": 12}


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    directory = tmp_path_factory.mktemp("links")
    config = directory / "candor.yaml"
    config.write_text(yaml.safe_dump({
        "warehouse": {"path": str(directory / "warehouse.duckdb")},
        "sandbox": SANDBOX,
        "sources": {"github": {"base_url": "sandbox", "org": "acme"},
                    "pagerduty": {"base_url": "sandbox", "backfill_days": 400}},
    }))
    result = CliRunner().invoke(cli, ["run", "--config", str(config)])
    assert result.exit_code == 0, result.output
    org = sandbox_org(SandboxConfig(**SANDBOX))
    world = pagerduty_world(org)
    with duckdb.connect(str(directory / "warehouse.duckdb"), read_only=True) as con:
        scores = score_links(con, org, world)
        vendor = con.execute("select count(*) from marts.incidents where repo = ?",
                             [world.services[-1].service_id]).fetchone()[0]
    print("\n" + "\n".join(report(scores)))
    return scores, vendor


@pytest.mark.parametrize(("method", "at_least"), [("explicit", 10), ("revert", 3),
                                                  ("rollback", 3)])
def test_links_by_evidence_are_right_and_complete(scored, method, at_least):
    scores, _ = scored
    score = scores[("pagerduty", method)]
    assert score.linked >= at_least, score
    assert score.precision >= 0.95 and score.recall >= 0.95, score
    # the GitHub copies are duplicates: no link of theirs is scored
    assert ("github", method) not in scores


def test_every_right_link_holds_the_whole_release(scored):
    scores, _ = scored
    assert sum(s.correct for s in scores.values()) >= 30
    assert all(s.whole == s.correct for s in scores.values()), scores


def test_provider_outages_on_the_unowned_service_fail_no_team(scored):
    _, vendor = scored
    assert vendor == 0
