"""Fault injection for reliability tests (`srv.faults`).

A fault is a status code (500/502/503/504 server errors, 429/403 rate-limit answers) or one
of the words "drop" (close the connection without answering) and "truncate" (announce the
full Content-Length, send half the body, close). Scripted faults apply to the next requests
in order; random faults draw for every request from their own seeded generator. Faults hit
authenticated requests only; a "truncate" drawn for a non-200 answer is spent without effect.
Faults of one repository (every answer a 500, compares without a common ancestor, a Link loop,
malformed answers) are set on `faults.repos` (simulator/repo_faults.py).
"""

from __future__ import annotations

import socket
import threading
from collections import deque
from collections.abc import Iterable

import numpy as np
from werkzeug.wrappers import Response

from simulator.repo_faults import RepoFaults

Fault = int | str
SERVER_ERRORS = (500, 502, 503)
RATE_LIMITS = (429, 403)
WORDS = ("drop", "truncate")


class FaultInjector:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._script: deque[Fault] = deque()
        self._rng: np.random.Generator | None = None
        self._rates = (0.0, 0.0, 0.0, 0.0)
        self.latency_ms = 0
        self.repos = RepoFaults()

    def script(self, faults: Iterable[Fault]) -> None:
        """Answer the next len(faults) requests with these faults, in order."""
        items = list(faults)
        for fault in items:
            if not (isinstance(fault, int) and 400 <= fault <= 599) and fault not in WORDS:
                raise ValueError(f"faults.script: {fault!r} is not a 4xx/5xx status code, "
                                 f"'drop' or 'truncate'.")
        with self._lock:
            self._script.extend(items)

    def random(self, error_rate: float = 0.0, rate_limit_rate: float = 0.0,
               drop_rate: float = 0.0, truncate_rate: float = 0.0, seed: int = 1,
               latency_ms: int = 0) -> None:
        """Draw a fault for every request: 5xx, 429/403 rate limit, drop or truncate."""
        if error_rate + rate_limit_rate + drop_rate + truncate_rate > 1:
            raise ValueError("faults.random: the four rates must add up to at most 1.")
        with self._lock:
            self._rng = np.random.default_rng(seed)
            self._rates = (error_rate, rate_limit_rate, drop_rate, truncate_rate)
            self.latency_ms = latency_ms

    def clear(self) -> None:
        with self._lock:
            self._script.clear()
            self._rng = None
            self._rates = (0.0, 0.0, 0.0, 0.0)
            self.latency_ms = 0
        self.repos.clear()

    def pending(self) -> int:
        with self._lock:
            return len(self._script)

    def next_fault(self) -> Fault | None:
        """The fault for the request being answered now, if any."""
        with self._lock:
            if self._script:
                return self._script.popleft()
            if self._rng is None:
                return None
            roll = float(self._rng.random())
            pick = int(self._rng.integers(1 << 16))
        error, limit, drop, truncate = self._rates
        if roll < error:
            return SERVER_ERRORS[pick % len(SERVER_ERRORS)]
        if roll < error + limit:
            return RATE_LIMITS[pick % len(RATE_LIMITS)]
        if roll < error + limit + drop:
            return "drop"
        if roll < error + limit + drop + truncate:
            return "truncate"
        return None


def break_connection(fault: Fault | None, environ: dict, response: Response) -> None:
    """Carry out a "drop" (close the socket, no answer at all) or a "truncate" (announce the
    whole body, send half; a 200 only) on the answer about to be sent. Other faults are
    answers of their own and pass untouched."""
    if fault == "drop":
        # close the socket so the client sees the connection end with no answer at all
        environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
        raise ConnectionResetError("fault injection: connection dropped")
    if fault == "truncate" and response.status_code == 200:
        data = response.get_data()
        response.set_data(data[: len(data) // 2])
        response.headers["Content-Length"] = str(len(data))
        # The rest never comes: closing is how the client learns the body ended short.
        response.headers["Connection"] = "close"
