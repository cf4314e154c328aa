"""The GitLab source in the pipeline: its resource and its ingestion."""
