"""Rule patterns are validated by the engine that applies them: DuckDB's RE2.

Every pattern in `rules:` is run by DuckDB in the SQL models (and, for the production rule, by
RE2 in the connector). Python's `re` accepts constructs RE2 refuses (lookaround,
backreferences, `\\Z`), so a pattern checked with `re` passed validation and then failed the run
after hundreds of requests, naming a model rather than the setting. RE2 also guarantees
linear-time matching: no pattern can hang a run on API data.
"""

from __future__ import annotations

from warehouse.engine_check import duckdb_refusal

RE2_HINT = (
    "Candor's rules use RE2 syntax (DuckDB's regular expressions): no lookahead or lookbehind "
    "((?=, (?!, (?<=), no backreferences (\\1), and \\z rather than \\Z"
)


def check_re2(value: str) -> str:
    """Return `value` if DuckDB's RE2 compiles it; raise ValueError with RE2's reason otherwise."""
    reason = _re2_error(value)
    if reason is not None:
        raise ValueError(f"is not a valid regular expression ({reason}); {RE2_HINT}")
    return value


def _re2_error(value: str) -> str | None:
    reason = duckdb_refusal("select regexp_matches('', ?)", [value])
    return None if reason is None else reason.removeprefix("Invalid Input Error: ")


def capture_groups(value: str) -> int:
    """How many capture groups an RE2-valid pattern (see `check_re2`) has."""
    # google-re2 parses with the same RE2 grammar; DuckDB has no function that reports groups.
    import re2

    return re2.compile(value).groups
