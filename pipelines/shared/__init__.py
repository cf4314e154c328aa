"""Resources and helpers every pipeline domain shares."""
