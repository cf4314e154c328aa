"""The simulated GitHub GraphQL API (`POST /api/graphql`): the part of GitHub's schema the
connector reads, executed by graphql-core against the same org, clock and JSON values as REST.

Served: `nodes(ids:)` for pull requests (their `commits` and `reviews` connections) and
deployments (their `statuses` connection, newest first as REST lists them), each connection with
`totalCount`, `pageInfo` and opaque cursors, 1-100 a page as on GitHub; and `rateLimit`. A node's
`id` is the `node_id` REST gives the same object.
A query that GitHub's schema would refuse (an unknown field, a missing `first`, a bad id) is
answered as GitHub answers it: HTTP 200 with `errors` (type NOT_FOUND for an id that names
nothing; the node is then null). Cost follows GitHub's rule for primary rate limits: the
connection requests a query could need (every `first` assumed full), divided by 100, rounded,
at least 1 point; it is read from the query before it runs, and a spent budget is answered
with HTTP 200, an error of type RATE_LIMITED and `x-ratelimit-remaining: 0`, as GitHub does.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    InlineFragmentNode,
    build_schema,
    graphql_sync,
    parse,
    validate,
)

from simulator.github_json import iso, node_id
from simulator.model import Deployment, Org, PullRequest, Repo
from simulator.pull_json import pull_at

SCHEMA_TEXT = """
scalar DateTime
scalar GitObjectID

interface Node { id: ID! }
interface Actor { login: String! }

type Query {
  nodes(ids: [ID!]!): [Node]!
  rateLimit(dryRun: Boolean = false): RateLimit
}

type RateLimit {
  cost: Int!
  limit: Int!
  nodeCount: Int!
  remaining: Int!
  resetAt: DateTime!
  used: Int!
}

type PageInfo {
  endCursor: String
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
}

type User implements Node & Actor { id: ID! login: String! }
type Bot implements Node & Actor { id: ID! login: String! }

type GitActor { date: DateTime email: String name: String user: User }

type Commit implements Node {
  id: ID!
  oid: GitObjectID!
  message: String!
  authoredDate: DateTime!
  committedDate: DateTime!
  author: GitActor
  committer: GitActor
}

type PullRequestCommit implements Node { id: ID! commit: Commit! }

type PullRequestCommitConnection {
  nodes: [PullRequestCommit]
  pageInfo: PageInfo!
  totalCount: Int!
}

enum PullRequestReviewState { PENDING COMMENTED APPROVED CHANGES_REQUESTED DISMISSED }

type PullRequestReview implements Node {
  id: ID!
  databaseId: Int
  author: Actor
  body: String!
  state: PullRequestReviewState!
  submittedAt: DateTime
}

type PullRequestReviewConnection {
  nodes: [PullRequestReview]
  pageInfo: PageInfo!
  totalCount: Int!
}

enum DeploymentStatusState { PENDING SUCCESS FAILURE INACTIVE ERROR QUEUED IN_PROGRESS WAITING }

type DeploymentStatus implements Node {
  id: ID!
  createdAt: DateTime!
  updatedAt: DateTime!
  creator: Actor
  description: String
  environment: String
  environmentUrl: String
  state: DeploymentStatusState!
}

type DeploymentStatusConnection {
  nodes: [DeploymentStatus]
  pageInfo: PageInfo!
  totalCount: Int!
}

type Deployment implements Node {
  id: ID!
  databaseId: Int
  createdAt: DateTime!
  environment: String
  statuses(first: Int, last: Int, after: String, before: String): DeploymentStatusConnection
}

type PullRequest implements Node {
  id: ID!
  databaseId: Int
  number: Int!
  commits(first: Int, last: Int, after: String, before: String): PullRequestCommitConnection!
  reviews(first: Int, last: Int, after: String, before: String): PullRequestReviewConnection
}
"""

CONNECTIONS = frozenset({"commits", "reviews", "statuses"})
"""Fields of the schema that are connections (they cost a request each, when priced)."""
MAX_PAGE = 100


@dataclass(frozen=True)
class GraphqlAnswer:
    """What the endpoint answers: the HTTP status and the JSON body."""

    status: int
    body: dict[str, Any]


GRAPHQL_INT_MAX = 2**31 - 1


def rate_limit_value(cost: int, limit: int, remaining: int, used: int, reset_at: datetime
                     ) -> dict[str, Any]:
    """The `rateLimit` object of an answer. GraphQL's Int is 32-bit: a test's "unlimited"
    budget is reported as the largest one."""
    def clamp(value: int) -> int:
        return min(value, GRAPHQL_INT_MAX)
    return {"cost": cost, "limit": clamp(limit), "remaining": clamp(remaining),
            "used": clamp(used), "nodeCount": 0, "resetAt": iso(reset_at)}


class GraphqlApi:
    """Executes GraphQL queries against one org as of a clock the caller gives per query."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.schema = build_schema(SCHEMA_TEXT)
        self._pulls: dict[str, tuple[Repo, PullRequest]] = {
            f"PR_{pr.pr_id}": (repo, pr) for repo in org.repos.values() for pr in repo.pulls}
        self._deployments: dict[str, tuple[Repo, Deployment]] = {
            node_id("deploy", d.deployment_id): (repo, d)
            for repo in org.repos.values() for d in repo.deployments}

    def price(self, request: Any) -> int | GraphqlAnswer:
        """The query's cost in points, or the error answer when it cannot run at all."""
        query, variables, problem = _read_request(request)
        if problem is not None:
            return _errors([{"message": problem}])
        try:
            document = parse(query)
        except GraphQLError as err:
            return _errors([{"message": err.message, "type": "PARSE_ERROR"}])
        refused = validate(self.schema, document)
        if refused:
            return _errors([{"message": e.message} for e in refused])
        return _cost(document, variables)

    def execute(self, request: Any, clock: datetime, rate: dict[str, Any]) -> GraphqlAnswer:
        """Runs an already priced query; `rate` is the budget to report in `rateLimit`."""
        query, variables, _ = _read_request(request)
        context = _Context(self, clock, rate)
        result = graphql_sync(self.schema, query, root_value=context, context_value=context,
                              variable_values=variables)
        body: dict[str, Any] = {"data": result.data}
        errors = [{"message": e.message, "path": e.path, **(e.extensions or {})}
                  for e in result.errors or []]
        errors += context.not_found
        if errors:
            body["errors"] = errors
        return GraphqlAnswer(200, body)

    def rate_limited(self, reset_at: datetime) -> GraphqlAnswer:
        return _errors([{"type": "RATE_LIMITED",
                         "message": "API rate limit exceeded for user ID 1. If you reach out to "
                                    "GitHub Support for help, please include the request ID "
                                    f"and timestamp {iso(reset_at)}."}])


class _Context:
    """The root value: what resolvers read (org, clock) and the ids they could not find."""

    def __init__(self, api: GraphqlApi, clock: datetime, rate: dict[str, Any]) -> None:
        self.api = api
        self.clock = clock
        self.rate = rate
        self.not_found: list[dict[str, Any]] = []

    def nodes(self, info, ids: list[str]) -> list[dict[str, Any] | None]:
        out = []
        for index, asked in enumerate(ids):
            pull = self.api._pulls.get(asked)
            deployment = self.api._deployments.get(asked)
            found = pull or deployment
            if found is None or found[1].created_at > self.clock:
                self.not_found.append({
                    "type": "NOT_FOUND", "path": ["nodes", index],
                    "message": f"Could not resolve to a node with the global id of '{asked}'"})
                out.append(None)
                continue
            out.append(self._pull(*pull) if pull else self._deployment(*deployment))
        return out

    def rateLimit(self, info, dryRun: bool = False) -> dict[str, Any]:  # GitHub's field name
        return self.rate

    def _pull(self, repo: Repo, pr: PullRequest) -> dict[str, Any]:
        view = pull_at(repo, pr, self.clock)
        commits = [self._commit(repo, sha) for sha in view.commits]
        reviews = [{"__typename": "PullRequestReview", "id": f"PRR_{v.review_id}",
                    "databaseId": v.review_id, "author": self._actor(v.reviewer_login),
                    "body": v.body, "state": v.state, "submittedAt": iso(v.submitted_at)}
                   for v in view.reviews]
        return {"__typename": "PullRequest", "id": f"PR_{pr.pr_id}", "databaseId": pr.pr_id,
                "number": pr.number, "commits": _Connection(commits),
                "reviews": _Connection(reviews)}

    def _deployment(self, repo: Repo, d: Deployment) -> dict[str, Any]:
        """A deployment and its statuses as of the clock, newest first (REST's order)."""
        seen = sorted((s for s in d.statuses if s.created_at <= self.clock),
                      key=lambda s: (s.created_at, s.status_id), reverse=True)
        statuses = [{"__typename": "DeploymentStatus", "id": node_id("status", s.status_id),
                     "createdAt": iso(s.created_at), "updatedAt": iso(s.created_at),
                     "creator": self._actor(s.creator_login), "description": s.description,
                     "environment": d.environment, "environmentUrl": "",
                     "state": s.state.upper()} for s in seen]
        return {"__typename": "Deployment", "id": node_id("deploy", d.deployment_id),
                "databaseId": d.deployment_id, "createdAt": iso(d.created_at),
                "environment": d.environment, "statuses": _Connection(statuses)}

    def _commit(self, repo: Repo, sha: str) -> dict[str, Any]:
        commit = repo.commits[sha]
        author = self.api.org.people[commit.author_login]
        committer = self.api.org.people.get(commit.committer_login)
        return {"__typename": "PullRequestCommit", "id": f"PRC_{sha[:12]}", "commit": {
            "__typename": "Commit", "id": f"C_{sha}", "oid": sha, "message": commit.message,
            "authoredDate": iso(commit.authored_at), "committedDate": iso(commit.committed_at),
            "author": {"name": author.name, "email": author.email,
                       "date": iso(commit.authored_at), "user": self._user(commit.author_login)},
            "committer": {"name": committer.name if committer else "GitHub",
                          "email": committer.email if committer else "noreply@github.com",
                          "date": iso(commit.committed_at),
                          "user": self._user(commit.committer_login)},
        }}

    def _user(self, login: str | None) -> dict[str, Any] | None:
        """A git author's GitHub user: null for a bot (GraphQL's GitActor.user is a User)."""
        actor = self._actor(login)
        return actor if actor is not None and actor["__typename"] == "User" else None

    def _actor(self, login: str | None) -> dict[str, Any] | None:
        """A review's author: a User, or a Bot whose GraphQL login has no `[bot]` suffix."""
        if login is None:
            return None
        person = self.api.org.people.get(login)
        if person is not None and person.kind == "Bot":
            return {"__typename": "Bot", "id": f"BOT_{login}", "login": login.removesuffix("[bot]")}
        return {"__typename": "User", "id": f"U_{login}", "login": login}


class _Connection:
    """A connection field's value: graphql-core's default resolver calls it with the field's
    arguments; `first`/`after` paging with opaque cursors."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items

    def __call__(self, info, first: int | None = None, last: int | None = None,
                 after: str | None = None, before: str | None = None) -> dict[str, Any]:
        name = info.field_name
        if first is None and last is None:
            raise GraphQLError(f"You must provide a `first` or `last` value to properly "
                               f"paginate the `{name}` connection.")
        if last is not None or before is not None:
            raise GraphQLError(f"`last` and `before` are not served on `{name}` here.")
        if not 1 <= first <= MAX_PAGE:
            raise GraphQLError(f"Requesting {first} records on the `{name}` connection "
                               f"exceeds the `first` limit of {MAX_PAGE} records.")
        start = _offset(after) + 1 if after else 0
        page = self.items[start:start + first]
        end = start + len(page)
        return {"totalCount": len(self.items), "nodes": page, "pageInfo": {
            "hasNextPage": end < len(self.items), "hasPreviousPage": start > 0,
            "startCursor": _cursor(start) if page else None,
            "endCursor": _cursor(end - 1) if page else None}}


def _cursor(offset: int) -> str:
    return base64.b64encode(f"cursor:v2:{offset}".encode()).decode()


def _offset(cursor: str) -> int:
    try:
        return int(base64.b64decode(cursor).decode().rsplit(":", 1)[1])
    except (ValueError, IndexError) as err:
        raise GraphQLError(f"`{cursor}` does not appear to be a valid cursor.") from err


def _read_request(request: Any) -> tuple[str, dict[str, Any], str | None]:
    if not isinstance(request, dict) or not isinstance(request.get("query"), str):
        return "", {}, "A query attribute must be specified and must be a string."
    variables = request.get("variables") or {}
    if not isinstance(variables, dict):
        return "", {}, "Variables are invalid JSON."
    return request["query"], variables, None


def _cost(document, variables: dict[str, Any]) -> int:
    """GitHub's primary-limit cost: every connection's requests (its parents' `first` times,
    the `nodes` list counting its ids) plus the query's one, over 100, rounded, at least 1."""
    requests = 1

    def walk(selections, parents: int) -> None:
        nonlocal requests
        for selection in selections:
            if isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set.selections, parents)
                continue
            if not isinstance(selection, FieldNode) or selection.selection_set is None:
                continue
            multiplier = parents
            if selection.name.value == "nodes" and parents == 1:
                multiplier = len(_argument(selection, "ids", variables) or [])
            elif selection.name.value in CONNECTIONS:
                requests += parents
                multiplier = parents * int(_argument(selection, "first", variables) or 1)
            walk(selection.selection_set.selections, multiplier)

    for definition in document.definitions:
        selection_set = getattr(definition, "selection_set", None)
        if selection_set is not None:
            walk(selection_set.selections, 1)
    return max(1, round(requests / 100))


def _argument(field: FieldNode, name: str, variables: dict[str, Any]) -> Any:
    for argument in field.arguments:
        if argument.name.value == name:
            value = argument.value
            if value.kind == "variable":
                return variables.get(value.name.value)
            if value.kind == "int_value":
                return int(value.value)
            if value.kind == "list_value":
                return list(value.values)
    return None


def _errors(errors: list[dict[str, Any]]) -> GraphqlAnswer:
    return GraphqlAnswer(200, {"errors": errors})
