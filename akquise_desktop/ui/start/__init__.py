"""The start dialog: choose the database (local file or a PostgreSQL server) and log in."""

from .dialog import StartDialog, choose_connection
from .probing import StartChoice

__all__ = ["StartChoice", "StartDialog", "choose_connection"]
