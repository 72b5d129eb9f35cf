"""registries."""
