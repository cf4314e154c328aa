"""Types shared by the endpoint handlers: the request (`Call`), the two kinds of answer
(`Listing`, `Document`) and the two client errors (`NotFound`, `Invalid`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from werkzeug.datastructures import MultiDict

from simulator.compare import RepoGraph
from simulator.github_json import GithubJson
from simulator.model import Org, Repo


class NotFound(Exception):
    """Answered 404 {"message": "Not Found"}."""


class Invalid(Exception):
    """Answered 422 "Validation Failed"; the message names the parameter."""


@dataclass
class Listing:
    """A list answer: the app pages `items`, renders the page with `render`, adds `Link`."""

    items: list
    render: Callable[[Any], Any]
    default_per_page: int = 30
    max_per_page: int = 100


@dataclass
class Document:
    """A single JSON answer; `link` for objects that page a list inside them (compare)."""

    body: Any
    link: str | None = None


@dataclass
class Call:
    """One request: its arguments, the clock, the renderer and the URL it came in on."""

    org: Org
    args: MultiDict
    values: dict[str, Any]
    clock: datetime
    render: GithubJson
    url: str
    graph: Callable[[Repo], RepoGraph]

    def repo(self) -> Repo:
        repo = self.org.repos.get(f"{self.values['owner']}/{self.values['name']}")
        if repo is None:
            raise NotFound
        return repo

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.args.get(name, default)
        if value not in allowed:
            raise Invalid(f"`{name}` must be one of {', '.join(allowed)}, got {value!r}.")
        return value


def newest_first(items: list, when: Callable[[Any], datetime], key: Callable[[Any], int]
                 ) -> list:
    """Sorted by time, newest first; ties broken by id, higher first (GitHub's order)."""
    return sorted(items, key=lambda x: (when(x), key(x)), reverse=True)


def parse_since(raw: str | None) -> datetime | None:
    """The `since` parameter (ISO 8601; naive means UTC), or None when absent."""
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as error:
        raise Invalid(f"`since` must be an ISO 8601 timestamp, got {raw!r}.") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
