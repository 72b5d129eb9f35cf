"""Demo data at province scale (`onewindow registries generate_demo --entities N`)."""
