"""Pure domain code: no Qt, no database sessions."""
