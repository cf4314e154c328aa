"""`candor run` ends with one line per failed repository, each with the connector's own message
and fix (issue 11, item 4): 401 on every repository, and a 403 on one beside a 404 on another.

The runs go through the CLI against a SandboxServer this module serves (a base URL and a token
variable, as for GitHub Enterprise), on a fresh warehouse, so every failed repository was last
synced "never". The expected lines are written out here from the connector's documented
messages (connectors/github/errors.py `explain`, connectors/github/paging.py's
`GitHub answered STATUS to GET PATH: MESSAGE`) and GitHub's own answers; the request that fails
is each repository's first, its deployments list, whose path follows from its deployment signal
(Deployments API, workflow runs or releases; connectors/github/sync.py fetches it first).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipelines.cli.main import cli
from pipelines.config import load_config
from pipelines.config.schema import SandboxConfig
from pipelines.shared.sandbox import sandbox_org, with_sandbox_defaults
from simulator.server import SandboxServer

SANDBOX = SandboxConfig(seed=4, teams=2, months=1)  # six repositories, of the three signals
TOKEN_ENV = "CANDOR_TEST_REPORT_GITHUB_TOKEN"
FIRST_REQUEST = {"environment": "deployments", "workflow": "actions/runs", "release": "releases"}

# GitHub's answers: a token it does not know, a fine-grained token without access to one
# repository, and a repository that is not there (or is hidden from the token).
BAD_CREDENTIALS = "Bad credentials"
FORBIDDEN = "Resource not accessible by personal access token"
NOT_FOUND = "Not Found"
FIX_401 = (
    f"GitHub rejected the token: check environment variable {TOKEN_ENV} (expired, revoked or "
    "mistyped token)."
)


def fix_403(repo: str) -> str:
    return (
        f"Check that the token in {TOKEN_ENV} may read {repo} (fine-grained tokens need read "
        "access to contents, deployments, pull requests and issues)."
    )


def fix_404(repo: str) -> str:
    return (
        f"Check the repository name {repo} in candor.yaml and that the token in {TOKEN_ENV} "
        "can see it."
    )


def write_config(directory: Path, base_url: str) -> Path:
    path = directory / "candor.yaml"
    path.write_text(yaml.safe_dump({
        "warehouse": {"path": str(directory / "warehouse.duckdb")},
        "sandbox": SANDBOX.model_dump(),
        "sources": {"github": {"base_url": base_url, "org": SANDBOX.org, "token_env": TOKEN_ENV,
                               "max_workers": 2, "retry_total": 1}},
    }), encoding="utf-8")
    return path


def first_path(config: Path, repo: str) -> str:
    signal = with_sandbox_defaults(load_config(config)).deployment_signal_for(repo).signal
    return f"/repos/{repo}/{FIRST_REQUEST[signal]}"


def verdict(output: str) -> list[str]:
    """The lines the run ended with, from `Error: the run failed:` on."""
    lines = output.splitlines()
    return lines[lines.index("Error: the run failed:") :]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch):
    for name in ("CANDOR_WAREHOUSE", "CANDOR_CONFIG", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)


def test_401_on_every_repository_lists_every_one_with_the_token_variable(tmp_path, monkeypatch):
    org = sandbox_org(SANDBOX)
    repos = sorted(org.repos)
    with SandboxServer(org, rate_limit=50_000) as server:
        monkeypatch.setenv(TOKEN_ENV, "ghp_revoked0000000000000000000000000000")
        config = write_config(tmp_path, server.base_url)
        result = CliRunner().invoke(cli, ["run", "--config", str(config)])
    assert result.exit_code == 1
    assert verdict(result.output) == [
        "Error: the run failed:",
        f"meta__sync_report: GitHub sync failed for {len(repos)} of {len(repos)} repositories "
        "this run (their numbers use the data of their last successful sync); every model was "
        "built:",
        *(
            f"  {repo} (last synced: never): GitHub answered 401 to GET "
            f"{first_path(config, repo)}: {BAD_CREDENTIALS}. {FIX_401}"
            for repo in repos
        ),
    ]
    # Each repository once, in the verdict: no stale-data warning repeats it before.
    for repo in repos:
        assert sum(f"{repo} " in line for line in result.output.splitlines()
                   if not line.startswith("github ")) == 1, repo
    assert "ghp_revoked" not in result.output


def test_a_403_and_a_404_are_both_listed_each_with_its_own_fix(tmp_path, monkeypatch):
    org = sandbox_org(SANDBOX)
    repos = sorted(org.repos)
    forbidden, missing = repos[0], repos[1]
    with SandboxServer(org, rate_limit=50_000) as server:
        monkeypatch.setenv(TOKEN_ENV, server.token)
        # GitHub's refusals: a token without access to one repository, another one hidden
        server.faults.repos.fail(forbidden, 403, FORBIDDEN)
        server.faults.repos.fail(missing, 404, NOT_FOUND)
        config = write_config(tmp_path, server.base_url)
        result = CliRunner().invoke(cli, ["run", "--config", str(config)])
    assert result.exit_code == 1
    assert verdict(result.output) == [
        "Error: the run failed:",
        f"meta__sync_report: GitHub sync failed for 2 of {len(repos)} repositories this run "
        "(their numbers use the data of their last successful sync); every model was built:",
        f"  {forbidden} (last synced: never): GitHub answered 403 to GET "
        f"{first_path(config, forbidden)}: {FORBIDDEN}. {fix_403(forbidden)}",
        f"  {missing} (last synced: never): GitHub answered 404 to GET "
        f"{first_path(config, missing)}: {NOT_FOUND}. {fix_404(missing)}",
    ]
