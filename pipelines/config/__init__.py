"""candor.yaml: its schema, loading with clear errors, and the demo configuration."""

from pipelines.config.environment import check_run_environment
from pipelines.config.loading import ConfigError, load_config, resolve_config_path
from pipelines.config.schema import CandorConfig

__all__ = [
    "CandorConfig",
    "ConfigError",
    "check_run_environment",
    "load_config",
    "resolve_config_path",
]
