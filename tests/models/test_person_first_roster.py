"""Rosters count people, not accounts: `members:` in candor.yaml lists people with an account
per source, and review participation is a vector over people (issue 8). The short form
`{github: [logins]}` still reads, one person per login.

Expected values are derived by hand from the reviews below.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connectors.github.records import PullRequest, PullReview, RepoBatch
from connectors.github.tables import GITHUB_TABLES
from models.runner import run_all
from pipelines.config import CandorConfig
from pipelines.reference.writing import write_reference
from warehouse.connection import connect
from warehouse.loading import write_batch

REPO = "acme/web"
SOURCES = {"github": {"org": "acme"}}


def config(members) -> CandorConfig:
    return CandorConfig.model_validate({
        "sources": SOURCES,
        "teams": [{"name": "web", "members": members, "repos": {"github": [REPO]}}],
    })


def test_the_short_form_is_one_person_per_login():
    team = config({"github": ["ann", "bo"]}).teams[0]
    assert [(p.name, p.accounts()) for p in team.people] == [
        ("ann", [("github", "ann")]), ("bo", [("github", "bo")])
    ]


def test_an_account_given_to_two_people_is_refused_naming_it():
    with pytest.raises(ValueError, match=r"github login 'ann' belongs to more than one member"):
        config([{"name": "Ann", "github": "ann"}, {"name": "Annie", "github": "ann"}])
    with pytest.raises(ValueError, match=r"member 'Bo' has no account"):
        config([{"name": "Bo"}])


def test_review_participation_counts_people_not_accounts(tmp_path):
    con = connect(tmp_path / "warehouse.duckdb")
    at = datetime(2026, 3, 2, 10, tzinfo=UTC)
    batch = RepoBatch(repo=REPO)
    batch.pull_requests.append(PullRequest(
        REPO, 1, "Add cache", "cy", "closed", "cache", "main", "a" * 40, "b" * 40, (), at, at,
        at, at))
    # Ann reviews twice, Bo once, Cy (the author) not at all.
    for review_id, login in ((11, "ann"), (12, "ann"), (13, "bo")):
        batch.pull_reviews.append(PullReview(REPO, 1, review_id, login, "COMMENTED", at))
    write_batch(con, GITHUB_TABLES, batch)
    # Ann also has a GitLab account, silent here: still one person, not a second (zero) value.
    write_reference(con, config([
        {"name": "Ann", "github": "ann", "gitlab": "ann-gl"},
        {"name": "Bo", "github": "bo"},
        {"name": "Cy", "github": "cy"},
    ]))
    run_all(con)
    row = con.execute(
        "select roster_members, reviewers, review_events, sum_abs_differences "
        "from staging.int_review_team_month where team = 'web'"
    ).fetchone()
    # The vector is (Ann 2, Bo 1, Cy 0): sum over ordered pairs of |x_i - x_j| is
    # 2 * (1 + 2 + 1) = 8. Counting accounts it would be (2, 1, 0, 0) and 2 * 7 = 14.
    assert row == (3, 2, 3, 8)
    roster_size = con.execute(
        "select distinct roster_size from marts.behaviour_team_month where team = 'web'"
    ).fetchall()
    assert roster_size == [(3,)]
    con.close()
