"""candor.yaml's behavioural-proxy rules: defaults, RE2 validation naming the key, and the
meta.settings rows they become (read back by staging.stg_meta_proxy_rules)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from pipelines.config import ConfigError, load_config
from pipelines.reference.proxy_settings import proxy_settings

MINIMAL = """
sources:
  github: {org: acme}
teams:
  - name: payments
    repos: {github: [acme/payments-api]}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "candor.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_classify_the_simulated_organization(tmp_path):
    rules = load_config(write(tmp_path, MINIMAL)).rules
    # simulator/issues.py labels near misses 'near-miss' and titles them "Near miss: ..."
    assert "near-miss" in rules.near_miss.labels
    assert rules.near_miss.title_regex == r"(?i)\bnear[- ]?miss\b"
    assert rules.near_miss.priorities == [] and rules.near_miss.urgencies == []
    # its proactive issues carry 'enhancement' or 'tech-debt', its bugs 'bug'
    assert rules.proactive.labels == ["bug", "risk", "security", "tech-debt", "enhancement"]
    assert rules.proactive.incident_window_hours == 24
    assert rules.postmortem.labels == ["postmortem"]
    assert rules.review_participation.question_regex == r"\?"
    assert (rules.review_participation.min_roster, rules.review_participation.min_events) == (
        3, 10)
    # the simulator's alerting and CI accounts are alertmanager[bot] and github-actions[bot]
    assert rules.bot_login_regex == r"(?i)\[bot\]$"


def test_labels_are_lowercased_and_deduplicated(tmp_path):
    text = MINIMAL + "rules: {near_miss: {labels: [Near-Miss, near-miss, ' Close Call ']}}\n"
    rules = load_config(write(tmp_path, text)).rules
    assert rules.near_miss.labels == ["near-miss", "close call"]


@pytest.mark.parametrize(
    ("rules", "key", "reason"),
    [
        ("{near_miss: {title_regex: '(?!fine)near'}}", "rules.near_miss.title_regex",
         "invalid perl operator: (?!"),
        ("{review_participation: {question_regex: '(why)\\1'}}",
         "rules.review_participation.question_regex", "invalid escape sequence: \\1"),
        ("{bot_login_regex: 'bot\\Z'}", "rules.bot_login_regex", "invalid escape sequence: \\Z"),
    ],
)
def test_a_proxy_pattern_re2_cannot_run_is_refused_naming_its_key(tmp_path, rules, key, reason):
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, MINIMAL + f"rules: {rules}\n"))
    message = str(error.value)
    assert key in message and reason in message and "RE2 syntax" in message


@pytest.mark.parametrize(
    ("rules", "key"),
    [
        ("{review_participation: {min_roster: 1}}", "rules.review_participation.min_roster"),
        ("{proactive: {incident_window_hours: -1}}", "rules.proactive.incident_window_hours"),
        ("{near_miss: {label: [x]}}", "rules.near_miss.label: unknown key"),
    ],
)
def test_out_of_range_or_unknown_proxy_keys_are_refused(tmp_path, rules, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_config(write(tmp_path, MINIMAL + f"rules: {rules}\n"))


def test_settings_rows_round_trip_and_a_switched_off_title_rule_writes_no_row(tmp_path):
    text = MINIMAL + "rules: {near_miss: {title_regex: null}, proactive: {labels: [Risk]}}\n"
    settings = proxy_settings(load_config(write(tmp_path, text)).rules)
    assert "near_miss_title_regex" not in settings
    assert json.loads(settings["proactive_labels"]) == ["risk"]
    assert settings["bot_login_regex"] == r"(?i)\[bot\]$"
    # the patterns do in DuckDB what the defaults promise
    con = duckdb.connect()
    match = "select regexp_matches(?, ?)"
    assert con.execute(match, ["alertmanager[bot]", settings["bot_login_regex"]]).fetchone()[0]
    assert not con.execute(match, ["bot-builder", settings["bot_login_regex"]]).fetchone()[0]
    assert con.execute(match, ["Why not?", settings["review_question_regex"]]).fetchone()[0]
    assert not con.execute(match, ["Nit.", settings["review_question_regex"]]).fetchone()[0]
    con.close()
