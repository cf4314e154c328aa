"""The commits and reviews of many pull requests in one GraphQL query.

Over REST every PR costs two requests (`/pulls/{n}/commits` and `/pulls/{n}/reviews`), 65% of a
backfill's requests. One `nodes(ids:)` query instead asks for up to `progress.CHUNK_PULLS` PRs
(by the `node_id` the REST list gives) with their first 100 commits and reviews nested: GitHub
prices it at (1 + 2 x 25) / 100 -> 1 point. The records are the ones the REST path makes, field
for field (tests/connectors/test_github_pull_details_graphql.py compares both on an org):
- a commit's `authoredDate` / `committedDate` are REST's `commit.author.date` /
  `commit.committer.date`; its login is `author.user.login` (REST's `author.login`: the GitHub
  user GitHub matched to the author's e-mail; a bot is not a GraphQL User, so a bot-authored
  commit has no login here, where REST names `x[bot]`);
- a review's id is its `databaseId` (REST's `id`), its author's login gets REST's `[bot]`
  suffix back for a Bot, and the node is kept as the payload.

A PR the query cannot give whole is detailed over REST instead, so nothing is cut short: one
without a `node_id` in the list, one whose node is null (NOT_FOUND: gone since it was listed,
where REST then says what happened), and one with more than 100 commits or reviews (a next
page; REST also applies GitHub's 250-commit cap and its warning). A server that answers the
GraphQL endpoint 404 (a proxy that passes only `/api/v3`) gets REST for the rest of the
repository's sync, with a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from github.Requester import Requester

from connectors.github.graphql import (
    RATE_LIMIT_FIELDS,
    connection_nodes,
    has_next_page,
    query_nodes,
)
from connectors.github.paging import RequestCounter
from connectors.github.records import PullCommit, PullRequest, PullReview
from connectors.github.shape import ApiObject, MalformedObject, reading

PAGE = 100  # GitHub's largest `first`

QUERY = f"""
query PullDetails($ids: [ID!]!) {{
  nodes(ids: $ids) {{
    ... on PullRequest {{
      number
      commits(first: {PAGE}) {{
        totalCount
        pageInfo {{ hasNextPage }}
        nodes {{
          commit {{ oid message authoredDate committedDate author {{ user {{ login }} }} }}
        }}
      }}
      reviews(first: {PAGE}) {{
        totalCount
        pageInfo {{ hasNextPage }}
        nodes {{ databaseId state submittedAt author {{ __typename login }} }}
      }}
    }}
  }}
  {RATE_LIMIT_FIELDS}
}}
"""

Details = tuple[list[PullCommit], list[PullReview]]


def details_by_graphql(
    requester: Requester,
    repo: str,
    pulls: Sequence[PullRequest],
    node_ids: dict[int, str],
    counter: RequestCounter,
) -> dict[int, Details]:
    """PR number -> (commits, reviews) of the PRs of `pulls` that one query gives whole; the
    caller details the others over REST (module docstring), one by one, so that a pass stopped
    among them keeps the ones it finished."""
    asked = [] if counter.graphql_unavailable else [
        pr.number for pr in pulls if node_ids.get(pr.number)]
    found: dict[int, Details] = {}
    if asked:
        nodes = query_nodes(requester, repo, QUERY, [node_ids[n] for n in asked], counter,
                            "pull request details come over REST (two requests a PR)")
        with reading(urlparse(requester.graphql_url).path):
            for number, node in zip(asked, nodes or [], strict=False):
                whole = _whole(repo, number, node)
                if whole is not None:
                    found[number] = whole
    return found


def _whole(repo: str, number: int, node: Any) -> Details | None:
    """The records of one PR node, or None when REST must give them (null, or a next page)."""
    if node is None:
        return None
    pull = ApiObject(node, "pull request", "number")
    if pull.number() != number:
        raise MalformedObject(f"pull request #{pull.number()} answered for #{number}")
    commits, reviews = pull.child("commits"), pull.child("reviews")
    if commits is None or reviews is None:
        raise MalformedObject(f"pull request #{number}: `commits` or `reviews` is missing")
    if has_next_page(commits) or has_next_page(reviews):
        return None
    return ([_commit(repo, number, item) for item in connection_nodes(commits)],
            [_review(repo, number, item) for item in connection_nodes(reviews)])


def _commit(repo: str, number: int, raw: Any) -> PullCommit:
    wrapper = ApiObject(raw, "pull request commit", None)
    commit = wrapper.child("commit")
    if commit is None:
        raise MalformedObject(f"pull request #{number}: a commit node has no `commit`")
    commit = ApiObject(commit.raw, "commit", "oid")
    author = commit.child("author")
    return PullCommit(
        repo=repo,
        pr_number=number,
        sha=commit.text("oid"),
        authored_at=commit.time("authoredDate", required=False),
        committed_at=commit.time("committedDate", required=False),
        author_login=author.login("user") if author is not None else None,
        message=commit.text("message", required=False),
    )


def _review(repo: str, number: int, raw: Any) -> PullReview:
    review = ApiObject(raw, "review", "databaseId")
    author = review.child("author")
    login = author.text("login", required=False) if author is not None else None
    if login is not None and author is not None and author.raw.get("__typename") == "Bot":
        login = f"{login}[bot]"  # REST's login of a GitHub App
    return PullReview(
        repo=repo,
        pr_number=number,
        review_id=review.id("databaseId"),
        reviewer_login=login,
        state=review.text("state", required=False),
        submitted_at=review.time("submittedAt", required=False),
        payload=review.raw,
    )
