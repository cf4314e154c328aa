"""What a run needs from the environment beyond candor.yaml: the tokens the file names.

Kept apart from `load_config` on purpose: reading the warehouse (`candor sql`), checking a survey
export (`candor survey check`) and the tests never talk to GitHub, so they must not need a
token. The run path calls `check_run_environment` first, so a missing token is one line naming
the variable before anything is created or requested, not a failed asset after the warehouse
was opened.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pipelines.config.loading import ConfigError
from pipelines.config.schema import CandorConfig


def missing_environment(
    config: CandorConfig, environ: Mapping[str, str] | None = None
) -> list[str]:
    """One line per variable a run of `config` needs and the environment lacks (or has empty)."""
    environ = os.environ if environ is None else environ
    problems: list[str] = []
    github = config.sources.github
    # The sandbox serves its own token on 127.0.0.1; only real GitHub needs one.
    if github is not None and github.base_url != "sandbox" and not environ.get(github.token_env):
        problems.append(
            f"Environment variable {github.token_env} (sources.github.token_env) is not set: "
            f"export {github.token_env}=<a GitHub token with read access to the repositories "
            f"of {github.org}>; tokens never go in candor.yaml"
        )
    return problems


def check_run_environment(config: CandorConfig, environ: Mapping[str, str] | None = None) -> None:
    """Raise ConfigError, one line per problem, if a run of `config` would miss a variable."""
    problems = missing_environment(config, environ)
    if problems:
        raise ConfigError("\n".join(problems))
