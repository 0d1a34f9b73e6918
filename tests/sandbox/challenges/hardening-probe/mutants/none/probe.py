"""Reports nothing."""
