"""`check_run_environment`: what a run needs from the environment (tokens), checked apart from
loading, so that reading the warehouse and checking surveys need no token (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.config import ConfigError, check_run_environment, load_config

ROOT = Path(__file__).resolve().parents[2]


def real_config(tmp_path: Path, **github):
    path = tmp_path / "candor.yaml"
    config = {
        "sources": {"github": {"org": "acme", **github}},
        "teams": [{"name": "payments", "repos": {"github": ["acme/api"]}}],
    }
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return load_config(path)  # loads without any token in the environment


@pytest.mark.parametrize("environ", [{}, {"GITHUB_TOKEN": ""}], ids=["unset", "empty"])
def test_a_missing_token_is_one_line_naming_the_variable_and_the_key(tmp_path, environ):
    config = real_config(tmp_path)
    with pytest.raises(ConfigError) as error:
        check_run_environment(config, environ)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("Environment variable GITHUB_TOKEN (sources.github.token_env)")
    assert "is not set" in message and "export GITHUB_TOKEN=" in message


def test_the_variable_is_the_one_token_env_names(tmp_path, monkeypatch):
    config = real_config(tmp_path, token_env="CANDOR_TEST_GHE_TOKEN")
    with pytest.raises(ConfigError, match="CANDOR_TEST_GHE_TOKEN"):
        check_run_environment(config, {"GITHUB_TOKEN": "ghp_other"})
    check_run_environment(config, {"CANDOR_TEST_GHE_TOKEN": "ghp_x"})
    # The process environment by default.
    monkeypatch.setenv("CANDOR_TEST_GHE_TOKEN", "ghp_x")
    check_run_environment(config)


def test_the_message_never_holds_a_token(tmp_path):
    config = real_config(tmp_path, token_env="CANDOR_TEST_GHE_TOKEN")
    with pytest.raises(ConfigError) as error:
        check_run_environment(config, {"GITHUB_TOKEN": "ghp_secret_value"})
    assert "ghp_secret_value" not in str(error.value)


def test_the_sandbox_needs_no_token():
    check_run_environment(load_config(ROOT / "config" / "demo.yaml"), {})
