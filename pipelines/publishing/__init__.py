"""Dagster definitions that publish the read-only warehouse copy for readers."""
