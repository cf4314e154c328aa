"""The fenced code blocks of README.md, for tests that hold the README to what it shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
_FENCE = re.compile(r"^```(?P<language>[\w-]*)[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)


def code_blocks(language: str) -> list[str]:
    """The bodies of README.md's ```<language> blocks, in order."""
    text = README.read_text(encoding="utf-8")
    return [m["body"] for m in _FENCE.finditer(text) if m["language"] == language]


def shell_commands() -> list[str]:
    """Every command of the ```sh blocks, one string each, as the shell reads it: comments
    dropped, backslash continuations joined, words re-quoted (`shlex.join`)."""
    commands: list[str] = []
    for block in code_blocks("sh"):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words:
                commands.append(shlex.join(words))
    return commands
