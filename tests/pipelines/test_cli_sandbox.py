"""The sandbox's outline, rate budget and the CLI's start-up and table width."""

from __future__ import annotations

import ssl
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from connectors.github.client import GitHubClientSettings
from connectors.github.sync import sync_each_repo
from pipelines.config.schedule import plainly_valid_cron
from pipelines.config.schema import SandboxConfig
from pipelines.shared.sandbox import sandbox_org, sandbox_outline
from simulator.exports import demo_config
from simulator.ratelimit import full_sync_requests, sync_budget
from simulator.server import SandboxServer
from simulator.surveys import quarterly_waves

ROOT = Path(__file__).resolve().parents[2]
SMALL = SandboxConfig(seed=5, teams=2, months=2)


def test_the_outline_has_the_generated_organizations_teams_and_window():
    org, outline = sandbox_org(SMALL), sandbox_outline(SMALL)
    assert (outline.start, outline.end) == (org.start, org.end)
    assert demo_config(outline) == demo_config(org)
    assert quarterly_waves(outline.start, outline.end) == quarterly_waves(org.start, org.end)


def test_a_full_sync_fits_half_the_budget_candor_sandbox_serves():
    org = sandbox_org(SMALL)
    budget = sync_budget(org)
    with SandboxServer(org, rate_limit=budget) as server:
        settings = GitHubClientSettings(token=server.token, base_url=server.base_url,
                                        seconds_between_requests=0)
        repos = [(repo, "(?i)^(production|prod-.+)$") for repo in org.repos]
        outcomes = list(sync_each_repo(settings, repos, {}, True, 2))
        used = server.stats.total
    assert all(not hasattr(o, "reason") for o in outcomes)
    # The bound holds, and the budget is twice it rounded up to a thousand.
    assert used <= full_sync_requests(org) and 2 * used <= budget
    assert budget % 1000 == 0 and budget - 2 * full_sync_requests(org) < 1000


def test_plain_cron_strings_are_accepted_without_dagster_and_others_are_left_to_it():
    assert plainly_valid_cron("0 2 * * *") and plainly_valid_cron("30 4 * * 1-5")
    assert plainly_valid_cron("*/15 0,12 1-7 */2 0")
    # Not decided here (Dagster's check decides): out of range, February, names, six fields.
    for value in ("0 25 * * *", "0 0 30 2 *", "0 0 * jan *", "0 0 * * * *", "*/0 * * * *"):
        assert not plainly_valid_cron(value), value


def test_help_imports_neither_dagster_nor_pandas_nor_github():
    probe = (
        "import sys\nsys.argv = ['candor', '--help']\nfrom pipelines.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('dagster', 'pandas', 'github', 'statsmodels', "
        "'pipelines.definitions') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr


def test_the_demo_tables_fit_100_columns(demo_like_config):
    from pipelines.cli.summary import print_culture_summary, print_team_summary
    from warehouse.connection import connect_read_only

    console = Console(width=100, record=True, force_terminal=False)
    con = connect_read_only(demo_like_config.parent / "warehouse.readonly.duckdb")
    try:
        assert print_team_summary(con, console) == 2
        assert print_culture_summary(con, console) > 0
    finally:
        con.close()
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 100
    # Nothing was cut: rich marks a cut cell with an ellipsis.
    assert "…" not in text
    assert "deploy freq." in text and "Quick Check" in text and "rework rate" in text


def test_candor_sandbox_serves_gitlab_and_pagerduty_over_verified_https():
    import gitlab
    import pagerduty

    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli.main", "sandbox", "--teams", "2", "--months", "3"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = {}
        for line in process.stdout:
            key, _, value = line.partition(": ")
            lines[key] = value.strip()
            if key.startswith("Serving"):
                break
        ca = lines["PagerDuty CA certificate"]
        client = pagerduty.RestApiV2Client(
            lines["PagerDuty token"], base_url=lines["PagerDuty API"],
            verify=ssl.create_default_context(cafile=ca))
        services = client.list_all("/services")
        # one service per team, and the vendor's, which no team owns
        assert len(services) == 3
        owned = lines["PagerDuty services by team"].split(", ")
        assert {s["id"] for s in services if s["teams"]} == {o.split()[1] for o in owned}
        gl = gitlab.Gitlab(lines["GitLab URL"], private_token=lines["GitLab token"])
        org = sandbox_org(SandboxConfig(seed=7, teams=2, months=3))
        served = {gl.projects.get(repo).path_with_namespace for repo in org.repos}
        assert served == set(org.repos)
    finally:
        process.terminate()
        process.wait(timeout=10)
