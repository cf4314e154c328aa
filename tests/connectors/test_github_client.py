"""Client settings: validation, the retry policy they build, and the token kept out of reprs."""

from __future__ import annotations

import pytest

from connectors.github.client import (
    GitHubClientSettings,
    GitHubConfigError,
    make_github,
    make_retry,
)
from connectors.github.retry import seconds_until_reset

TOKEN = "ghp_unitTestTokenThatMustNotLeak0123456789"


def test_token_is_not_in_the_settings_repr():
    settings = GitHubClientSettings(token=TOKEN, base_url="https://ghe.example.com/api/v3")
    assert TOKEN not in repr(settings)
    assert "ghe.example.com" in repr(settings)


def test_enterprise_base_url_sets_the_request_prefix():
    gh = make_github(GitHubClientSettings(token=TOKEN, base_url="https://ghe.example.com/api/v3/"))
    # PyGithub derives GraphQL from the REST root the same way for GHES: /api/v3 -> /api/graphql.
    assert gh.requester.base_url == "https://ghe.example.com/api/v3"
    assert gh.requester.graphql_url == "https://ghe.example.com/api/graphql"
    assert gh.per_page == 100
    assert TOKEN not in repr(gh) + repr(gh.requester)
    gh.close()


def test_retry_policy_is_bounded_by_the_settings():
    retry = make_retry(
        GitHubClientSettings(token=TOKEN, retry_total=3, max_rate_limit_wait_s=5, backoff_factor=0)
    )
    assert retry.total == 3
    assert retry.max_rate_limit_wait == 5
    assert 429 in retry.status_forcelist and 503 in retry.status_forcelist
    # The last error response is handed back so the connector can name status and path.
    assert retry.raise_on_status is False


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"base_url": "ftp://example.com"}, "sources.github.base_url"),
        ({"per_page": 101}, "per_page 101"),
        ({"token": ""}, "GITHUB_TOKEN"),
    ],
)
def test_unusable_settings_are_refused_with_the_setting_named(options, fragment):
    with pytest.raises(GitHubConfigError, match=fragment):
        GitHubClientSettings(**{"token": TOKEN, **options})


def test_from_env_names_the_missing_variable(monkeypatch):
    monkeypatch.delenv("CANDOR_TEST_GH_TOKEN", raising=False)
    with pytest.raises(GitHubConfigError, match="CANDOR_TEST_GH_TOKEN"):
        GitHubClientSettings.from_env("CANDOR_TEST_GH_TOKEN")
    monkeypatch.setenv("CANDOR_TEST_GH_TOKEN", TOKEN)
    settings = GitHubClientSettings.from_env("CANDOR_TEST_GH_TOKEN", per_page=50)
    assert (settings.token, settings.token_env, settings.per_page) == (
        TOKEN,
        "CANDOR_TEST_GH_TOKEN",
        50,
    )


def test_seconds_until_reset_only_when_the_limit_is_spent(monkeypatch):
    monkeypatch.setattr("connectors.github.retry.time.time", lambda: 1_000.0)
    # Reset at epoch 1,030 seen at 1,000: 30 s plus GitHub's uncertain second.
    spent = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1030"}
    assert seconds_until_reset(spent) == 31.0
    assert seconds_until_reset({**spent, "X-RateLimit-Remaining": "12"}) is None
    assert seconds_until_reset({"X-RateLimit-Remaining": "0"}) is None
