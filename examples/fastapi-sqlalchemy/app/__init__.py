"""A small marketplace service over SQLite, written the way the investigated service is."""
