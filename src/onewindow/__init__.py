"""OneWindow (一窗通办): one core, many reform packs."""

__version__ = "0.1.0"
