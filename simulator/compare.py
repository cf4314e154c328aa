"""Answers `compare/{base}...{head}` and ref lookups for one repository at a clock.

Commits reachable from main form an ordered list (`Repo.main_history`), so comparing two
commits on main is a slice. Anything else (a PR branch commit) falls back to walking parents.
A commit is visible once it exists (committed); it is on main once the change that brought
it there landed.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime

from simulator.model import Repo


@dataclass(frozen=True)
class Comparison:
    """status: identical, ahead, behind or diverged; `commits` = the ahead commits, oldest
    first; `merge_base` = the newest common ancestor."""

    status: str
    commits: list[str]
    behind_by: int
    merge_base: str


class RepoGraph:
    """Indexes of one repo's commit graph, built once per server."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.position = {sha: i for i, sha in enumerate(repo.main_history)}
        # a merge PR's branch commits land with the merge commit that follows them
        self.land_times: list[datetime] = []
        landing = None
        for sha in reversed(repo.main_history):
            commit = repo.commits[sha]
            if commit.kind != "branch" or landing is None:
                landing = commit.committed_at
            self.land_times.append(landing)
        self.land_times.reverse()

    def visible(self, sha: str, clock: datetime) -> bool:
        commit = self.repo.commits.get(sha)
        return commit is not None and commit.committed_at <= clock

    def resolve(self, ref: str, clock: datetime) -> str | None:
        """A branch name ("main"), a full sha or an unambiguous prefix of 7+ hex digits."""
        if ref in (self.repo.default_branch, "HEAD"):
            index = bisect.bisect_right(self.land_times, clock) - 1
            return self.repo.main_history[max(index, 0)]
        if ref in self.repo.commits:
            return ref if self.visible(ref, clock) else None
        if len(ref) >= 7:
            matches = [s for s in self.repo.commits if s.startswith(ref)]
            if len(matches) == 1 and self.visible(matches[0], clock):
                return matches[0]
        return None

    def compare(self, base: str, head: str) -> Comparison:
        if base == head:
            return Comparison("identical", [], 0, base)
        if base in self.position and head in self.position:
            b, h = self.position[base], self.position[head]
            if b < h:
                return Comparison("ahead", self.repo.main_history[b + 1 : h + 1], 0, base)
            return Comparison("behind", [], b - h, head)
        head_side, base_side = self._ancestors(head), self._ancestors(base)
        ahead = head_side - base_side
        behind = base_side - head_side
        common = head_side & base_side
        commits = self.repo.commits

        def order(sha: str) -> tuple:
            return (commits[sha].committed_at, self.position.get(sha, -1), sha)

        merge_base = max(common, key=order) if common else base
        status = "ahead" if not behind else "behind" if not ahead else "diverged"
        return Comparison(status, sorted(ahead, key=order), len(behind), merge_base)

    def _ancestors(self, sha: str) -> set[str]:
        seen, stack = set(), [sha]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.repo.commits[current].parents)
        return seen
