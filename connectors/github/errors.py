"""The connector's errors for a failed repository sync, with the fix spelled out."""

from __future__ import annotations

from connectors.github.paging import GitHubRequestError
from connectors.github.shape import MalformedAnswer


class GitHubSyncError(RuntimeError):
    """A repository could not be synced. The message names the repo, the request and the fix,
    never the token.

    `reason` is the message without the repository (the scope of meta.sync_status says it):
    what failed and what to do about it.
    """

    def __init__(self, repo: str, reason: str) -> None:
        super().__init__(f"GitHub sync of {repo} failed: {reason}")
        self.repo = repo
        self.reason = reason

    @classmethod
    def combine(cls, failures: dict[str, GitHubSyncError], total: int) -> GitHubSyncError:
        """One error for several failed repositories (the only one, if just one failed)."""
        if len(failures) == 1:
            return next(iter(failures.values()))
        return GitHubSyncFailures(failures, total)


class GitHubSyncFailures(GitHubSyncError):
    """Several repositories failed: names every one, then the first two distinct messages.

    A wrong token fails every repository the same way, and one message says it.
    """

    def __init__(self, failures: dict[str, GitHubSyncError], total: int) -> None:
        names = ", ".join(sorted(failures))
        messages = list(dict.fromkeys(_without_repo(e.reason, r) for r, e in failures.items()))
        reason = " | ".join(messages[:2]) + (
            f" | and {len(messages) - 2} other errors" if len(messages) > 2 else ""
        )
        RuntimeError.__init__(
            self,
            f"GitHub sync failed for {len(failures)} of {total} repositories ({names}): {reason}",
        )
        self.repo = names
        self.reason = reason
        self.failures = failures
        self.__cause__ = next(iter(failures.values()))


class GitHubDataError(GitHubSyncError):
    """GitHub answered something the connector cannot read (malformed JSON, a field of the wrong
    type, an id beyond 64 bits, a Link header that loops). Only that repository's current
    chunk is abandoned; its committed chunks and their cursors stay as they were."""

    def __init__(self, repo: str, answer: MalformedAnswer | str) -> None:
        super().__init__(repo, f"{answer}. {DATA_HINT}")
        self.answer = answer


DATA_HINT = (
    "The chunks of the repository committed before this answer stay stored with their cursors, "
    "nothing of the failed chunk was written, and the next run resumes there; if it persists, "
    "check that sources.github.base_url is the GitHub API and report the answer"
)


def _without_repo(message: str, repo: str) -> str:
    """A failure message with its repository name generalised, so equal causes collapse."""
    return message.replace(repo, "<repo>")


def explain(error: GitHubRequestError, repo: str, token_env: str) -> str:
    """What to do about `error`, for the message a user reads."""
    if error.status == 401:
        return (
            f"GitHub rejected the token: check environment variable {token_env} "
            "(expired, revoked or mistyped token)."
        )
    if error.status in (403, 429) and "rate limit" in str(error):
        return "Run again after the rate limit resets, or raise max_rate_limit_wait_s."
    if error.status == 403:
        return (
            f"Check that the token in {token_env} may read {repo} (fine-grained tokens need read "
            "access to contents, deployments, pull requests and issues)."
        )
    if error.status == 404:
        return (
            f"Check the repository name {repo} in candor.yaml and that the token in {token_env} "
            "can see it."
        )
    if error.status is None or error.status >= 500:
        return "GitHub or the network kept failing after the configured retries: run again later."
    return "Check sources.github.base_url in candor.yaml."
