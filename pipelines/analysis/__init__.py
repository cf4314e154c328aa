"""Dagster assets of the culture-vs-delivery analysis: the panel and the model results."""
