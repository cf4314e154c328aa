"""What can stop a PagerDuty sync, each with a message that says what to do. No message ever
holds the token (the client's own 401 text shows part of it, so it is replaced here)."""

from __future__ import annotations


class PagerDutySyncError(Exception):
    """The account could not be synced this run; its stored rows and cursors are kept."""


class PagerDutyUnavailable(PagerDutySyncError):
    """PagerDuty kept answering 429 or 5xx (or not at all) after the bounded retries."""


class PagerDutyRetryPastDeadline(PagerDutySyncError):
    """A retry's wait would end after the run's deadline (schedule.max_run_minutes)."""
