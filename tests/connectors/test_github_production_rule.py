"""The production rule is matched with RE2: linear time on any environment name the API sends,
and a pattern RE2 cannot compile is a configuration error naming the setting."""

from __future__ import annotations

import time

import pytest
from github_deployment_chain import deployment, statuses
from github_fake_api import REPO, FakeGithub, day

from connectors.github.client import GitHubConfigError
from connectors.github.production_rule import ProductionRule
from connectors.github.sync import sync_repo

CATASTROPHIC = "(a+)+$"  # exponential with a backtracking engine on "aaa...a!"
LONG_NAME = "a" * 100_000 + "!"


def test_a_catastrophic_pattern_on_a_long_environment_name_finishes_fast():
    started = time.perf_counter()
    assert not ProductionRule(CATASTROPHIC).matches(LONG_NAME)
    assert ProductionRule(CATASTROPHIC).matches("a" * 100_000)
    assert time.perf_counter() - started < 1.0


def test_the_sync_applies_the_rule_with_re2():
    d = f"/repos/{REPO}/deployments"
    routes = {
        d: [deployment(2, LONG_NAME, "s2", day(2)), deployment(1, LONG_NAME, "s1", day(1))],
        f"{d}/1/statuses": statuses(1, ("success", day(1, 13))),
        f"{d}/2/statuses": statuses(2, ("success", day(2, 13))),
        f"/repos/{REPO}/pulls": [],
        f"/repos/{REPO}/issues": [],
    }
    started = time.perf_counter()
    batch = sync_repo(FakeGithub(routes), REPO, {}, CATASTROPHIC)
    assert time.perf_counter() - started < 2.0
    assert len(batch.deployments) == 2 and batch.deployment_compares == []  # not production


def test_rules_match_anywhere_and_honour_inline_flags():
    rule = ProductionRule(r"(?i)^(production|prod-.+)$")
    assert rule.matches("Production") and rule.matches("prod-eu")
    assert not rule.matches("staging") and not rule.matches("preproduction")
    assert ProductionRule("prod").matches("eu-prod-1")


@pytest.mark.parametrize("pattern", [r"^prod(?!uction)", r"(a)\1", "prod(", r"prod\Z"])
def test_a_pattern_re2_cannot_compile_is_a_config_error_naming_the_setting(pattern, capfd):
    with pytest.raises(GitHubConfigError, match=r"rules\.production_environment") as caught:
        ProductionRule(pattern, "acme/api")
    assert "acme/api" in str(caught.value) and "RE2" in str(caught.value)
    assert capfd.readouterr().err == ""  # RE2's own error log is switched off
