"""One module per CLI command group, registered by ``app.cli``."""
