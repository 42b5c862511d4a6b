"""Read side: SQL queries that return plain rows (never ORM objects) for views."""
