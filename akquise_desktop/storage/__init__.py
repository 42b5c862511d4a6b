"""Storage: SQLite by default, PostgreSQL for teams."""

from .database import Database
from .schema import SchemaState
from .url import default_database_path, resolve_url

__all__ = ["Database", "SchemaState", "default_database_path", "resolve_url"]
