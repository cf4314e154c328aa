"""PagerDutyResource: where the PagerDuty connector connects; the token read from the
environment."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from connectors.pagerduty.client import PagerDutySettings
from pipelines.config import CandorConfig


class PagerDutyResource(dg.ConfigurableResource):
    """PagerDuty's REST API v2 (US or EU service region, `sources.pagerduty.base_url`) or, with
    `base_url: sandbox`, the simulated organization's account served over https on 127.0.0.1.

    The token comes from the environment variable named by `sources.pagerduty.token_env`; it
    is never logged, stored or shown in metadata.
    """

    @contextmanager
    def settings(self, config: CandorConfig, deadline: float | None) -> Iterator[
            PagerDutySettings]:
        source = config.sources.pagerduty
        if source is None:
            raise dg.Failure("candor.yaml has no `sources.pagerduty:` section; add one")
        common = {"account": source.account, "attempts": source.retry_total,
                  "max_wait_s": float(source.max_rate_limit_wait_s),
                  "backfill_days": source.backfill_days, "deadline": deadline}
        if source.base_url == "sandbox":
            assert config.sandbox is not None  # guaranteed by config validation
            # Only a sandbox configuration loads the simulator (pipelines/shared/sandbox.py).
            from pipelines.shared.sandbox import sandbox_org, served_pagerduty

            with served_pagerduty(sandbox_org(config.sandbox)) as server:
                yield PagerDutySettings(token=server.token, base_url=server.base_url,
                                        ca_path=server.ca_path, **common)
            return
        token = os.environ.get(source.token_env, "").strip()
        if not token:
            raise dg.Failure(
                f"the environment variable {source.token_env} (sources.pagerduty.token_env) "
                "is not set: give it a PagerDuty REST API key of the account")
        ca_path = None if source.ca_bundle is None else Path(source.ca_bundle)
        yield PagerDutySettings(token=token, base_url=source.base_url, ca_path=ca_path,
                                **common)
