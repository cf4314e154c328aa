"""candor.yaml's PagerDuty parts: the source section and the services each team owns."""

from __future__ import annotations

import pytest

from pipelines.config import ConfigError, load_config

BASE = """
sources:
  github: {org: acme}
  pagerduty: {token_env: PD_KEY}
teams:
  - name: web
    repos: {github: [acme/web]}
    services: {pagerduty: [PWEB001]}
  - name: api
    repos: {github: [acme/api]}
    services: {pagerduty: [PAPI001, PAPI002]}
"""


def write(tmp_path, text):
    path = tmp_path / "candor.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_services_belong_to_their_teams(tmp_path):
    config = load_config(write(tmp_path, BASE))
    assert config.pagerduty_services() == [
        ("web", "PWEB001"), ("api", "PAPI001"), ("api", "PAPI002")]
    assert config.sources.pagerduty.base_url == "https://api.pagerduty.com"
    assert config.sources.pagerduty.token_env == "PD_KEY"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("[PAPI001, PAPI002]", "[PAPI001, PWEB001]"),
         "PagerDuty service 'PWEB001' is listed under teams 'web' and 'api'"),
        (("pagerduty: {token_env: PD_KEY}", "pagerduty: {base_url: 'http://pd.example'}"),
         "sources.pagerduty.base_url: 'http://pd.example' is not an https:// URL"),
        (("  pagerduty: {token_env: PD_KEY}\n", ""),
         "team 'web' (teams[0]) lists services.pagerduty but candor.yaml has no "
         "`sources.pagerduty:` section"),
        (("[PWEB001]", "[PWEB-001]"), "'PWEB-001' is not a PagerDuty service id"),
        (("pagerduty: {token_env: PD_KEY}", "pagerduty: {base_url: sandbox}"),
         "sources.pagerduty.base_url is 'sandbox' but `sandbox:` is missing"),
    ],
)
def test_a_wrong_pagerduty_setting_names_its_key(tmp_path, change, expected):
    with pytest.raises(ConfigError) as refused:
        load_config(write(tmp_path, BASE.replace(*change)))
    assert expected in str(refused.value)


def test_a_ca_bundle_is_relative_to_the_files_folder(tmp_path):
    text = BASE.replace("pagerduty: {token_env: PD_KEY}",
                        "pagerduty: {token_env: PD_KEY, ca_bundle: certs/proxy.pem}")
    config = load_config(write(tmp_path, text))
    assert config.sources.pagerduty.ca_bundle == str(tmp_path / "certs" / "proxy.pem")
