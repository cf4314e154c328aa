"""Word lists and small text makers for generated names, titles and messages."""

from __future__ import annotations

import re

import numpy as np

TEAM_NAMES = ["payments", "search", "mobile", "platform", "growth", "data", "identity",
              "checkout", "billing", "infra", "ml", "web", "catalog", "support", "risk", "ads"]

REPO_SUFFIXES = ["api", "service", "web", "worker", "app", "lib", "infra", "jobs"]

FIRST_NAMES = ["Alice", "Bob", "Carol", "Dan", "Erin", "Frank", "Grace", "Heidi", "Ivan",
               "Judy", "Karl", "Lena", "Mallory", "Nina", "Oscar", "Peggy", "Quinn", "Rita",
               "Sam", "Trent", "Uma", "Victor", "Wendy", "Xavier", "Yara", "Zoe", "Amir",
               "Bea", "Chen", "Dara", "Emeka", "Fatima", "Goran", "Hana", "Ines", "Jonas"]

LAST_NAMES = ["Keller", "Novak", "Okafor", "Silva", "Tanaka", "Berg", "Costa", "Dubois",
              "Ekström", "Fischer", "García", "Haddad", "Ivanova", "Jensen", "Kowalski",
              "Larsen", "Moreau", "Nakamura", "Olsen", "Petrov", "Rossi", "Schmidt"]

VERBS = ["Add", "Fix", "Refactor", "Improve", "Remove", "Update", "Speed up", "Simplify",
         "Handle", "Validate", "Cache", "Log", "Retry", "Document", "Migrate"]

NOUNS = ["webhook handler", "retry policy", "search index", "login flow", "rate limiter",
         "checkout form", "feature flag", "metrics export", "config loader", "timeout",
         "database pool", "pagination", "error page", "CSV import", "cache warmup",
         "push notifications", "audit log", "currency rounding", "session store", "job queue"]

FILES = ["src/app.py", "src/handlers.py", "src/models.py", "src/config.py", "tests/test_app.py",
         "src/client.py", "src/jobs.py", "README.md"]

REVIEW_REMARKS = ["Could we add a test for this?", "Nit: naming.", "Why not reuse the helper?",
                  "This can raise on empty input.", "Looks good, one question.",
                  "Please handle the timeout here.", "Consider logging this."]


def pick(rng: np.random.Generator, options: list[str]) -> str:
    return options[int(rng.integers(len(options)))]


def title(rng: np.random.Generator) -> str:
    """A short imperative PR title, e.g. "Retry webhook handler"."""
    return f"{pick(rng, VERBS)} {pick(rng, NOUNS)}"


def slug(text: str) -> str:
    """Branch-name form of a title: lower case, hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def commit_message(rng: np.random.Generator, pr_title: str, index: int) -> str:
    """Message of the index-th commit of a PR branch (the first one carries the title)."""
    if index == 0:
        return pr_title
    return pick(rng, ["Address review comments", "Fix tests", "Add tests", "Tidy up",
                      f"{pr_title}: follow-up", "Handle edge case"])
