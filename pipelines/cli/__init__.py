"""The `candor` command line (DESIGN §7)."""
