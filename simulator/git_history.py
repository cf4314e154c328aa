"""Builds one repository's commit graph and its main-branch order as events happen.

Changes must be applied in time order (the generator's event loop guarantees it), so main's
history is append-only and `head_at(t)` is a binary search over landing times.
"""

from __future__ import annotations

import bisect

from simulator.context import GenContext, to_datetime
from simulator.model import Commit, Repo

WEB_FLOW = "web-flow"  # GitHub's committer for commits it creates when merging in the web UI


class History:
    """Commit graph of `repo`; appends to `repo.commits` and `repo.main_history`."""

    def __init__(self, ctx: GenContext, repo: Repo, author: str, created: float) -> None:
        self.ctx = ctx
        self.repo = repo
        self._land_times: list[float] = []
        self._position: dict[str, int] = {}
        self._add(Commit(ctx.sha(), repo.full_name, "direct", author, to_datetime(created),
                         author, to_datetime(created), "Initial commit", []), created)

    def _add(self, commit: Commit, land_time: float | None) -> str:
        """Store a commit; if `land_time` is given it becomes reachable from main then."""
        self.repo.commits[commit.sha] = commit
        if land_time is not None:
            self._land(commit.sha, land_time)
        return commit.sha

    def _land(self, sha: str, when: float) -> None:
        self._position[sha] = len(self.repo.main_history)
        self.repo.main_history.append(sha)
        self._land_times.append(when)

    def between(self, base: str, head: str) -> list[str]:
        """Shas on main after `base` up to and including `head` (both on main)."""
        return self.repo.main_history[self._position[base] + 1 : self._position[head] + 1]

    @property
    def head(self) -> str:
        return self.repo.main_history[-1]

    def head_at(self, when: float) -> str:
        """The sha main pointed to at `when` (the initial commit if nothing landed before)."""
        position = bisect.bisect_right(self._land_times, when) - 1
        return self.repo.main_history[max(position, 0)]

    def branch(self, author: str, times: list[float], messages: list[str], pr: int) -> list[str]:
        """Create a PR's head-branch commits, forked from main at the first commit's time."""
        parent = self.head_at(times[0])
        shas = []
        for authored, message in zip(times, messages, strict=True):
            committed = authored + self.ctx.uniform(0, 600)
            commit = Commit(self.ctx.sha(), self.repo.full_name, "branch", author,
                            to_datetime(authored), author, to_datetime(committed), message,
                            [parent], pr_number=pr)
            parent = self._add(commit, None)
            shas.append(parent)
        return shas

    def merge(self, method: str, pr: int, branch: list[str], author: str, merger: str,
              when: float, message: str) -> str:
        """Land a PR on main with GitHub's merge, squash or rebase method; return the
        merge_commit_sha GitHub would report."""
        at = to_datetime(when)
        if method == "merge":
            tip = self.head
            # the branch commits become reachable from main together with the merge commit
            for sha in branch:
                self._land(sha, when)
            commit = Commit(self.ctx.sha(), self.repo.full_name, "merge", merger, at, WEB_FLOW,
                            at, message, [tip, branch[-1]], pr_number=pr)
            return self._add(commit, when)
        if method == "squash":
            commit = Commit(self.ctx.sha(), self.repo.full_name, "squash", author, at, WEB_FLOW,
                            at, message, [self.head], pr_number=pr)
            return self._add(commit, when)
        last = ""
        for sha in branch:
            original = self.repo.commits[sha]
            copy = Commit(self.ctx.sha(), self.repo.full_name, "rebase", original.author_login,
                          original.authored_at, WEB_FLOW, at, original.message, [self.head],
                          pr_number=pr, original_sha=sha)
            last = self._add(copy, when)
        return last

    def push(self, author: str, when: float, message: str) -> str:
        """A direct push of one commit to main."""
        at = to_datetime(when)
        commit = Commit(self.ctx.sha(), self.repo.full_name, "direct", author, at, author, at,
                        message, [self.head])
        return self._add(commit, when)
