"""Thread-safe request counters of a sandbox server (`srv.stats`)."""

from __future__ import annotations

import threading
from collections import Counter


class RequestStats:
    """Requests answered: in total, by status code, by route (endpoint name), and 304s."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.total = 0
        self.not_modified = 0
        self.by_status: Counter[int] = Counter()
        self.by_route: Counter[str] = Counter()

    def record(self, route: str, status: int) -> None:
        with self._lock:
            self.total += 1
            self.by_status[status] += 1
            self.by_route[route] += 1
            if status == 304:
                self.not_modified += 1

    def reset(self) -> None:
        with self._lock:
            self.total = 0
            self.not_modified = 0
            self.by_status.clear()
            self.by_route.clear()

    def snapshot(self) -> dict:
        with self._lock:
            return {"total": self.total, "not_modified": self.not_modified,
                    "by_status": dict(self.by_status), "by_route": dict(self.by_route)}
