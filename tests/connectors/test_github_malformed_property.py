"""Property tests: seeded random mutations of recorded GitHub answers (github_api_examples.py)
never make the connector raise anything but its named errors, and whatever it accepts, the
warehouse stores.

A mutation deletes a field, or replaces any value of the answer (the whole body included) with
one of a pool of troublemakers: null, booleans, ids beyond 64 bits, floats, strings where
objects are expected and back, broken timestamps, NUL characters, HTML. The seeds are fixed, so
a failure reproduces; the case number in the message is its seed.
"""

from __future__ import annotations

import copy
import json
import random
import re
from dataclasses import fields
from datetime import datetime
from typing import Any

import pytest
from github_api_examples import examples
from github_fake_api import REPO, Answer, FakeGithub

from connectors.github import normalize, review_comments
from connectors.github.errors import GitHubSyncError
from connectors.github.shape import BIGINT_MAX, MalformedObject
from connectors.github.sync import sync_repo
from connectors.github.tables import GITHUB_TABLES
from warehouse.connection import connect
from warehouse.loading import write_batch

NORMALIZER_CASES = 400
CONNECTOR_CASES = 200

TROUBLE = [
    None, True, False, 0, -1, 1.5, 2**31, 2**63, 2**64, -(2**63) - 1, "", "x", "\x00", "é✓",
    "2024-02-30T10:00:00Z", "2024-03-05T09:58:00", "yesterday", "<html>oops</html>", [], {},
    ["bug"], [{"name": 7}], {"login": ["x"]}, {"date": 17}, [None], [[]],
]


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value: () is the value itself."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def mutate(value: Any, rng: random.Random, times: int) -> Any:
    """`value` with `times` random deletions or replacements."""
    value = copy.deepcopy(value)
    for _ in range(times):
        path = rng.choice(_paths(value))
        replacement = copy.deepcopy(rng.choice(TROUBLE))
        if not path:
            value = replacement
            continue
        *parents, last = path
        holder = value
        for step in parents:
            holder = holder[step]
        if isinstance(holder, dict) and rng.random() < 0.3:
            del holder[last]
        else:
            holder[last] = replacement
    return value


NORMALIZERS = {
    "deployments": lambda raw: normalize.deployment(REPO, raw),
    "statuses": lambda raw: normalize.deployment_status(REPO, 1, raw),
    "pulls": lambda raw: normalize.pull_request(REPO, raw),
    "pull_commits": lambda raw: normalize.pull_commit(REPO, 1, raw),
    "reviews": lambda raw: normalize.pull_review(REPO, 1, raw),
    "comments": lambda raw: review_comments.review_comment(REPO, raw),
    "issues": lambda raw: normalize.issue(REPO, raw),
    "compare": lambda raw: normalize.deployment_commit(REPO, 1, "b", raw),
}


def items_of(endpoint: str, body: Any) -> list[Any]:
    """The objects one normalizer reads from an answer body (compare: its commits)."""
    return body["commits"] if endpoint == "compare" else body


def assert_storable(record: Any) -> None:
    """Every field has the type its column takes, ids and numbers within the column's range."""
    for spec in fields(record):
        value = getattr(record, spec.name)
        if value is None or spec.name == "payload":
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            assert 0 < value <= BIGINT_MAX, (spec.name, value)
            if spec.name in ("number", "pr_number"):
                assert value < 2**31, (spec.name, value)
        elif isinstance(value, datetime):
            assert value.tzinfo is not None, spec.name
        elif isinstance(value, tuple):
            assert all(isinstance(v, str) for v in value), spec.name
        else:
            assert isinstance(value, str | bool), (spec.name, value)


def test_the_unmutated_examples_normalize():
    corpus = examples()
    assert all(corpus[endpoint] for endpoint in NORMALIZERS), "every endpoint has an example"
    for endpoint, normalizer in NORMALIZERS.items():
        for body in corpus[endpoint]:
            for raw in items_of(endpoint, body):
                normalizer(raw)


@pytest.mark.parametrize("block", range(4))
def test_mutated_objects_raise_only_malformed_object(block):
    corpus = examples()
    per_block = NORMALIZER_CASES // 4
    for case in range(block * per_block, (block + 1) * per_block):
        rng = random.Random(case)
        endpoint = rng.choice(sorted(NORMALIZERS))
        raw = rng.choice(items_of(endpoint, rng.choice(corpus[endpoint])))
        mutated = mutate(raw, rng, rng.randint(1, 3))
        try:
            result = NORMALIZERS[endpoint](mutated)
        except MalformedObject as err:
            assert "field" in str(err) or "expected an object" in str(err), (case, str(err))
            continue
        except Exception as err:  # the property: nothing else escapes
            pytest.fail(f"case {case} ({endpoint}): {type(err).__name__}: {err}")
        if result is not None:
            assert_storable(result)


def as_chain(deployments: list[Any]) -> list[Any]:
    """The recorded deployments (two copies of a single one) in one environment, newest first,
    so that the later one is compared with the earlier: the compare answer is read too."""
    items = [dict(d) for d in (deployments if len(deployments) > 1 else deployments * 2)]
    for position, item in enumerate(items):
        item["environment"] = "production"
        item["id"] = 1000 - position
        item["sha"] = f"{item['sha']}{position}"
    return items


def world(corpus: dict[str, list[Any]], rng: random.Random) -> dict[str, Any]:
    """Routes of one repository built from examples, one endpoint's answer mutated."""
    answers = {endpoint: rng.choice(bodies) for endpoint, bodies in corpus.items()}
    answers["deployments"] = as_chain(answers["deployments"])
    target = rng.choice(sorted(answers))
    answers[target] = mutate(answers[target], rng, rng.randint(1, 3))
    return answers


class ExampleRequester:
    """Serves `answers` for any path of the repository, by endpoint, as they are (one page)."""

    PATTERNS = (
        (re.compile(r"/deployments/\d+/statuses$"), "statuses"),
        (re.compile(r"/deployments$"), "deployments"),
        (re.compile(r"/pulls/\d+/commits$"), "pull_commits"),
        (re.compile(r"/pulls/\d+/reviews$"), "reviews"),
        (re.compile(r"/pulls/comments$"), "comments"),
        (re.compile(r"/pulls$"), "pulls"),
        (re.compile(r"/issues$"), "issues"),
        (re.compile(r"/compare/"), "compare"),
    )

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.fake = FakeGithub({}, per_page=100).requester
        self.per_page = 100
        self.base_url = self.fake.base_url
        self.graphql_url = self.fake.graphql_url  # answered 404: PR details come over REST

    def requestJson(self, verb, url, parameters=None, headers=None, input=None):  # PyGithub
        path = url.split("?")[0].removeprefix(self.base_url)
        for pattern, endpoint in self.PATTERNS:
            if pattern.search(path):
                self.fake.routes = {path: Answer(json.dumps(self.answers[endpoint]))}
                break
        return self.fake.requestJson(verb, url, parameters, headers, input)


class ExampleGithub:
    def __init__(self, answers):
        self.requester = ExampleRequester(answers)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    connection = connect(tmp_path_factory.mktemp("property") / "warehouse.duckdb")
    yield connection
    connection.close()


@pytest.mark.parametrize("block", range(4))
def test_mutated_answers_fail_only_with_the_named_error_and_the_rest_is_stored(block, con):
    corpus = examples()
    per_block = CONNECTOR_CASES // 4
    for case in range(block * per_block, (block + 1) * per_block):
        rng = random.Random(10_000 + case)
        answers = world(corpus, rng)
        try:
            # "." : every environment is production, so compares are asked for too.
            batch = sync_repo(ExampleGithub(answers), REPO, {}, ".")
        except GitHubSyncError as err:
            assert err.repo == REPO and f"/repos/{REPO}/" in err.reason, (case, err.reason)
            continue
        except Exception as err:  # the property: nothing else escapes
            pytest.fail(f"case {case}: {type(err).__name__}: {err}")
        # What the connector accepts is storable.
        write_batch(con, GITHUB_TABLES, batch, replace=True)
