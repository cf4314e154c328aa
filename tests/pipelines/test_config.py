"""candor.yaml validation: every mistake is reported with its key path and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "candor.yaml"
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """
sources:
  github: {org: acme}
teams:
  - name: payments
    repos: {github: [acme/payments-api]}
"""


def test_shipped_configs_are_valid():
    example = load_config(ROOT / "config" / "example.yaml")
    assert example.github_repos()[0] == ("payments", "acme/payments-api")
    # acme/web overrides the production rule; other repositories use the default.
    assert example.production_environment_for("acme/web") == "(?i)^prod-(eu|us)$"
    assert example.production_environment_for("acme/ledger") == "(?i)^(production|prod-.+)$"
    demo = load_config(ROOT / "config" / "demo.yaml")
    assert demo.sandbox is not None and demo.sources.github.base_url == "sandbox"


def test_defaults_fill_rules(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    assert config.rules.incident_link_window_hours == 24
    assert config.rules.anonymity_minimum == 5
    assert config.sources.github.token_env == "GITHUB_TOKEN"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL.replace("repos:", "reops:"), "teams[0].reops: unknown key"),
        (MINIMAL + "rules: {benchmark_year: 2022}\n", "rules.benchmark_year: must be one of"),
        (MINIMAL + "rules: {production_environment: '(['}\n", "not a valid regular expression"),
        (MINIMAL + "rules: {anonymity_minimum: 2}\n", "rules.anonymity_minimum"),
        (MINIMAL.replace("acme/payments-api", "payments-api"), "full repository name"),
        (MINIMAL.replace("{org: acme}", "{}"), "sources.github.org: required key is missing"),
        ("sources: {github: {org: acme}}\n", "`teams:` is missing"),
        (
            MINIMAL + "  - name: web\n    repos: {github: [acme/payments-api]}\n",
            "listed under teams 'payments' and 'web'",
        ),
        (MINIMAL + "rules: {repo_rules: {acme/nope: {production_environment: x}}}\n", "acme/nope"),
        (MINIMAL.replace("{org: acme}", "{org: acme, base_url: sandbox}"), "`sandbox:` is missing"),
        (
            MINIMAL + "rules: {revert: {message_regex: 'reverts [0-9a-f]+'}}\n",
            "rules.revert.message_regex: needs exactly one capture group",
        ),
        ("- just\n- a list\n", "expected a mapping"),
        ("teams: [\n", "not valid YAML"),
    ],
)
def test_errors_name_the_key_and_the_file(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value)
    assert expected in str(err.value)


def test_missing_file_says_how_to_point_at_one(tmp_path):
    with pytest.raises(ConfigError, match="--config PATH or set CANDOR_CONFIG"):
        load_config(tmp_path / "absent.yaml")


def test_token_is_not_a_config_key(tmp_path):
    text = MINIMAL.replace("{org: acme}", "{org: acme, token: ghp_secret}")
    with pytest.raises(ConfigError, match=r"github\.token: tokens never go in"):
        load_config(write(tmp_path, text))


@pytest.mark.parametrize(
    ("rules", "key", "reason"),
    [
        # Valid in Python's re, refused by RE2 (the engine DuckDB applies them with).
        ("{production_environment: '^(?!staging).*prod'}", "rules.production_environment",
         "invalid perl operator: (?!"),
        ("{hotfix: {head_branch_regex: '(hot)fix/\\1'}}", "rules.hotfix.head_branch_regex",
         "invalid escape sequence: \\1"),
        ("{revert: {title_regex: '^Revert\\Z'}}", "rules.revert.title_regex",
         "invalid escape sequence: \\Z"),
        ("{revert: {body_regex: 'Reverts (?<=x)#([0-9]+)'}}", "rules.revert.body_regex",
         "invalid perl operator: (?<"),
        ("{repo_rules: {acme/payments-api: {production_environment: '(?=prod)'}}}",
         "rules.repo_rules.acme/payments-api.production_environment", "invalid perl operator"),
        ("{repo_rules: {acme/payments-api: {deployments: {signal: workflow, "
         "workflow_regex: '(?=deploy)'}}}}",
         "rules.repo_rules.acme/payments-api.deployments.workflow.workflow_regex",
         "invalid perl operator: (?="),
        ("{repo_rules: {acme/payments-api: {deployments: {signal: release, "
         "tag_regex: '^v\\d+\\Z'}}}}",
         "rules.repo_rules.acme/payments-api.deployments.release.tag_regex",
         "invalid escape sequence: \\Z"),
    ],
)
def test_a_rule_re2_cannot_run_is_refused_at_load_with_its_key(tmp_path, rules, key, reason):
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, MINIMAL + f"rules: {rules}\n"))
    message = str(error.value)
    assert key in message and reason in message
    assert "RE2 syntax" in message


def test_revert_patterns_need_their_one_capture_group(tmp_path):
    with pytest.raises(ConfigError, match=r"rules\.revert\.body_regex.*one capture group"):
        text = MINIMAL + "rules: {revert: {body_regex: 'Reverts #[0-9]+'}}\n"
        load_config(write(tmp_path, text))
    # A catastrophic pattern for a backtracking engine is fine for RE2: accepted, linear time.
    config = load_config(write(tmp_path, MINIMAL + "rules: {production_environment: '(a+)+$'}\n"))
    assert config.rules.production_environment == "(a+)+$"


def test_deployment_signals_per_repository(tmp_path):
    config = load_config(write(tmp_path, MINIMAL.replace(
        "[acme/payments-api]", "[acme/payments-api, acme/sdk, acme/web]") + """
rules:
  repo_rules:
    acme/payments-api:
      deployments: {signal: workflow, workflow_regex: '^Deploy production$', branch: main}
    acme/sdk:
      deployments: {signal: release}
"""))
    workflow = config.deployment_signal_for("acme/payments-api")
    assert (workflow.signal, workflow.workflow_regex, workflow.branch) == (
        "workflow", "^Deploy production$", "main")
    assert config.deployment_signal_for("acme/sdk").tag_regex == r"^v?[0-9]+(\.[0-9]+)*$"
    assert config.deployment_signal_for("acme/web").signal == "environment"
    # a deployments-only override keeps the default production rule
    assert config.production_environment_for("acme/sdk") == config.rules.production_environment


@pytest.mark.parametrize(
    ("deployments", "expected"),
    [
        ("{signal: workflow}", "workflow_regex: required key is missing"),
        ("{signal: tags}", "'environment', 'workflow', 'release'"),
        ("{signal: release, branch: main}", "branch: unknown key"),
    ],
)
def test_a_wrong_deployment_signal_is_refused_with_its_key(tmp_path, deployments, expected):
    rule = f"{{acme/payments-api: {{deployments: {deployments}}}}}"
    text = MINIMAL + f"rules: {{repo_rules: {rule}}}\n"
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))
    assert "rules.repo_rules.acme/payments-api" in str(error.value)
    assert expected in str(error.value)
