"""The DuckDB store: schema and migrations (``migrations``), safe connections (``db``)
and one typed API module per domain (``tasks``, ``runs``, ...)."""

from core.store.db import Store, StoreLockedError, default_db_path

__all__ = ["Store", "StoreLockedError", "default_db_path"]
