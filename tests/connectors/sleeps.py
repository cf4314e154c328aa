"""`Sleeps`: handed to a connector as its sleep function, it records the waits asked for
instead of sleeping, so retry tests assert the waits and take no time."""

from __future__ import annotations


class Sleeps(list):
    """Records the waits the connector asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
