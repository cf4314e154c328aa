"""Dagster definitions for the DORA models (one asset per SQL file)."""
