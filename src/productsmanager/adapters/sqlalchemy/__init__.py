"""PostgreSQL (production) and SQLite (embedded) persistence with SQLAlchemy Core."""
