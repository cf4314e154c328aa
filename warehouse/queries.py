"""Named SQL statements kept in `warehouse/sql/*.sql`.

A file holds several statements, each introduced by a `-- name: <name>` line (the convention of
yesql/aiosql), so related SQL stays together in one readable file rather than in Python strings.
Lines before the first `-- name:` are the file's header comment.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

_NAME_LINE = re.compile(r"^--\s*name:\s*(?P<name>[a-z_][a-z0-9_]*)\s*$")


@cache
def _statements(file: str) -> dict[str, str]:
    text = (files("warehouse") / "sql" / file).read_text(encoding="utf-8")
    statements: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        match = _NAME_LINE.match(line)
        if match:
            current = statements.setdefault(match["name"], [])
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip() for name, lines in statements.items()}


def query(file: str, name: str) -> str:
    """The SQL text of statement `name` in `warehouse/sql/<file>`."""
    statements = _statements(file)
    if name not in statements:
        raise KeyError(f"warehouse/sql/{file} has no `-- name: {name}` statement")
    return statements[name]
