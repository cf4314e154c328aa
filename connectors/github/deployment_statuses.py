"""The statuses of many deployments in one GraphQL query.

Over REST every deployment costs a request (`/deployments/{id}/statuses`): after the PR details
moved to GraphQL, 59% of a backfill's requests. One `nodes(ids:)` query instead asks for up to
`PAGE` deployments (by the `node_id` the REST list gives) with their first 100 statuses nested:
GitHub prices it at (1 + 100) / 100 -> 1 point. The records are the ones REST makes, field for
field, except that GraphQL's DeploymentStatus has no numeric id: the key of a status is its node
id, which both APIs give (REST's `node_id` is GraphQL's `id`), and `status_id` is None. GraphQL's
state is an upper-case enum (`SUCCESS`); the record's is REST's lower-case word.

Only statuses that are read once are read this way: a backfill's deployments older than the
re-poll horizon (connectors/github/deployments.py). A deployment that will be re-polled is read
over REST, because REST gives the list's ETag that makes every later re-poll a free 304 (GraphQL
has no conditional requests). A deployment the query cannot give whole is read over REST as
well: one without a `node_id` in the list, one whose node is null (NOT_FOUND), and one with more
than 100 statuses (a next page). A server that answers the GraphQL endpoint 404 gets REST for
the rest of the repository's sync, with a warning, as for pull requests.
"""

from __future__ import annotations

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
from connectors.github.records import DeploymentStatus
from connectors.github.shape import ApiObject, MalformedObject, reading

PAGE = 100  # GitHub's largest `first`, and ids per query: (1 + 100) / 100 rounds to 1 point

QUERY = f"""
query DeploymentStatuses($ids: [ID!]!) {{
  nodes(ids: $ids) {{
    ... on Deployment {{
      databaseId
      statuses(first: {PAGE}) {{
        totalCount
        pageInfo {{ hasNextPage }}
        nodes {{ id state createdAt description environmentUrl creator {{ login }} }}
      }}
    }}
  }}
  {RATE_LIMIT_FIELDS}
}}
"""


def statuses_by_graphql(
    requester: Requester,
    repo: str,
    node_ids: dict[int, str],
    counter: RequestCounter,
) -> dict[int, list[DeploymentStatus]]:
    """Deployment id -> its statuses, for the deployments of `node_ids` (id -> node id, at most
    `PAGE`) that one query gives whole; the caller reads the others over REST."""
    asked = [] if counter.graphql_unavailable else list(node_ids)
    if len(asked) > PAGE:
        raise ValueError(f"at most {PAGE} deployments a query, not {len(asked)}")
    if not asked:
        return {}
    nodes = query_nodes(requester, repo, QUERY, [node_ids[i] for i in asked], counter,
                        "deployment statuses come over REST (a request a deployment)")
    found: dict[int, list[DeploymentStatus]] = {}
    with reading(urlparse(requester.graphql_url).path):
        for deployment_id, node in zip(asked, nodes or [], strict=False):
            whole = _whole(repo, deployment_id, node)
            if whole is not None:
                found[deployment_id] = whole
    return found


def _whole(repo: str, deployment_id: int, node: Any) -> list[DeploymentStatus] | None:
    """The statuses of one deployment node, or None when REST must give them."""
    if node is None:
        return None
    deployment = ApiObject(node, "deployment", "databaseId")
    if deployment.id("databaseId") != deployment_id:
        raise MalformedObject(f"deployment {deployment.id('databaseId')} answered for "
                              f"{deployment_id}")
    statuses = deployment.child("statuses")
    if statuses is None:
        raise MalformedObject(f"deployment {deployment_id}: `statuses` is missing")
    if has_next_page(statuses):
        return None
    return [_status(repo, deployment_id, raw) for raw in connection_nodes(statuses)]


def _status(repo: str, deployment_id: int, raw: Any) -> DeploymentStatus:
    status = ApiObject(raw, "deployment status", "id")
    return DeploymentStatus(
        repo=repo,
        deployment_id=deployment_id,
        node_id=status.text("id"),
        status_id=None,
        state=status.text("state").lower(),
        created_at=status.time("createdAt"),
        payload=status.raw,
    )
