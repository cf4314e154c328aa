"""Committing a repository's sync in chunks: what is handed to the warehouse, and when.

A sync (sync.py) gathers records into the current chunk; at a checkpoint the chunk is handed
over with the cursor that describes exactly what it and the chunks before it hold, and a new
chunk starts. The warehouse writes each chunk and its cursor in one transaction
(warehouse.loading.write_batch), so a run that stops anywhere (rate limit, deadline,
`kill -9`) leaves committed chunks whose cursors never point past committed rows, and the next
run resumes from them.

Checkpoints fall after each resource of a repository and, inside the pull-request pass, after
every `CHUNK_PULLS` fully detailed pull requests (pulls.py), and inside the deployments pass,
after every `CHUNK_DEPLOYMENTS` deployments of its status and change-set passes (deployments.py;
change sets of workflow_runs.py; tag resolutions and change sets of releases.py): those are the
steps that can cost more requests than a rate-limit window holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from connectors.github.paging import RequestCounter
from connectors.github.records import Cursor, RepoBatch
from connectors.github.rule_stamp import stamped

CHUNK_DEPLOYMENTS = 25
"""Deployments per committed chunk of the deployments pass: one status request each in the
status pass, one compare or more each in a change-set pass, one or two requests per tag."""

CHUNK_PULLS = 25
"""Pull requests per committed chunk of the pull-request pass, and per GraphQL details query
(connectors/github/pull_details.py: 25 PRs with 100 commits and 100 reviews each is 1 point); a
`kill -9` loses at most one chunk's work, while a commit (milliseconds) stays negligible."""


@dataclass
class RepoChunk(RepoBatch):
    """A RepoBatch that may be one of several of a repository's sync.

    `unfinished` names the resources whose cursor in this chunk records progress inside a pass
    (not a complete sync): the warehouse stores the cursor but does not mark the resource
    synced. `final` is set on the last chunk of the repository's sync in this run.
    """

    unfinished: tuple[str, ...] = ()
    final: bool = False


class RepoProgress:
    """The chunk being gathered for one repository, and where finished chunks go.

    Without `emit` there is one chunk: checkpoints only collect cursors, and the caller takes
    the whole sync as one batch (full refresh, the simulator's direct load, tests).
    """

    def __init__(
        self,
        repo: str,
        counter: RequestCounter,
        emit: Callable[[RepoChunk], None] | None = None,
    ) -> None:
        self.repo = repo
        self.counter = counter
        self.emit = emit
        self.batch = RepoChunk(repo=repo)
        self._stamped = (0, 0, 0)
        self._rules: dict[str, str] = {}

    def record_rule(self, resource: str, rule: str) -> None:
        """Stamp every cursor of `resource` checkpointed from now on with `rule`
        (rule_stamp.py): a later sync under another rule starts that resource afresh."""
        self._rules[resource] = rule

    @property
    def chunked(self) -> bool:
        return self.emit is not None

    def checkpoint(self, cursor: Cursor, *, finished: bool = True) -> None:
        """`cursor` covers everything gathered so far: hand the chunk over (when chunked).

        `finished` is false for progress inside a pass: the cursor is stored, the resource is
        not yet marked synced. Unchunked, an unfinished cursor is dropped (the pass goes on in
        the same batch) and a finished one joins the batch's cursors.
        """
        if cursor.resource in self._rules:
            cursor = stamped(cursor, self._rules[cursor.resource])
        if self.emit is None:
            if finished:
                self.batch.cursors.append(cursor)
            return
        self.batch.cursors = [cursor]
        self.batch.unfinished = () if finished else (cursor.resource,)
        self.emit(self.take())

    def take(self) -> RepoChunk:
        """The current chunk, stamped with the requests made since the previous one; a new
        chunk starts."""
        chunk, self.batch = self.batch, RepoChunk(repo=self.repo)
        counter = self.counter
        requests, not_modified, pages = self._stamped
        chunk.requests = counter.requests - requests
        chunk.not_modified = counter.not_modified - not_modified
        chunk.pages = counter.pages - pages
        chunk.rate_remaining = counter.rate_remaining
        self._stamped = (counter.requests, counter.not_modified, counter.pages)
        return chunk
