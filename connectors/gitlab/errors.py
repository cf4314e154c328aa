"""What can stop a GitLab sync, each with a message that says what to do. No message ever
holds the token."""

from __future__ import annotations


class GitLabSyncError(Exception):
    """The project could not be synced this run; its stored rows and cursors are kept."""


class GitLabUnavailable(GitLabSyncError):
    """GitLab kept answering 429 or 5xx (or not at all) after the bounded retries."""


class GitLabRateLimitTooLong(GitLabSyncError):
    """A 429 asked for a wait longer than `sources.gitlab.max_rate_limit_wait_s`."""


class GitLabRetryPastDeadline(GitLabSyncError):
    """A retry's wait would end after the run's deadline (schedule.max_run_minutes)."""


class GitLabPastDeadline(GitLabSyncError):
    """The run's deadline (schedule.max_run_minutes) passed before the project was read whole:
    nothing of it is stored, and the next run reads it again from its last cursor."""
