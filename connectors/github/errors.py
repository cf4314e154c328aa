"""The connector's error for a failed repository sync, with the fix spelled out."""

from __future__ import annotations

from connectors.github.paging import GitHubRequestError


class GitHubSyncError(RuntimeError):
    """A repository could not be synced. The message names the repo, the request and the fix,
    never the token."""

    @classmethod
    def combine(cls, failures: dict[str, GitHubSyncError], total: int) -> GitHubSyncError:
        """One error for several failed repositories (the only one, if just one failed).

        Names every failed repository, then the first two distinct messages: a wrong token
        fails every repository the same way, and one message says it.
        """
        if len(failures) == 1:
            return next(iter(failures.values()))
        names = ", ".join(sorted(failures))
        messages = list(dict.fromkeys(_without_repo(str(e), r) for r, e in failures.items()))
        error = cls(
            f"GitHub sync failed for {len(failures)} of {total} repositories ({names}): "
            + " | ".join(messages[:2])
            + (f" | and {len(messages) - 2} other errors" if len(messages) > 2 else "")
        )
        error.__cause__ = next(iter(failures.values()))
        return error


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
