"""Errors the warehouse raises: one sentence that names the file or table and the fix."""

from __future__ import annotations


class WarehouseError(Exception):
    """Something about the warehouse file or a write to it is wrong; the message says what."""


class WarehouseLockedError(WarehouseError):
    """Another process holds the DuckDB file (DuckDB allows one writer process at a time).

    `holder` says who, as DuckDB reported it: `process 1234 (/usr/bin/python3)`, or `another
    process` when DuckDB did not say."""

    def __init__(self, message: str, holder: str = "another process") -> None:
        super().__init__(message)
        self.holder = holder


class WarehouseNotFoundError(WarehouseError):
    """A reader asked for a warehouse file that does not exist yet."""


class MigrationError(WarehouseError):
    """The warehouse schema cannot be brought to the version this code expects."""


class WarehouseLoadError(WarehouseError):
    """A batch could not be written; its transaction was rolled back, nothing of it is stored."""
