"""Alembic environment. Run through ``akquise_desktop.storage.schema``, which
passes an open connection in ``config.attributes["connection"]``."""

from alembic import context

from akquise_desktop.models import Base
from akquise_desktop.queries import search

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine
        from sqlalchemy.exc import ArgumentError

        url = config.get_main_option("sqlalchemy.url")
        if url is None:  # as create_engine(None) refuses it
            raise ArgumentError("no connection passed and no sqlalchemy.url configured")
        engine = create_engine(url)
        if engine.dialect.name == "sqlite":  # the search index's triggers call akq_fold
            from sqlalchemy import event

            from akquise_desktop.core.folding import register_sqlite

            event.listen(engine, "connect", lambda conn, _record: register_sqlite(conn))
        with engine.begin() as conn:
            _run(conn)
        engine.dispose()
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # The search migration's FTS5 tables and trigram/expression indexes are
        # not in the models: autogenerate must not propose dropping them.
        include_object=search.include_object,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # A shared database's objects belong to its owner role (0009): act
            # as it, when it exists and this login may.
            from akquise_desktop.storage.roles import use_owner

            use_owner(connection)
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported")
run_migrations_online()
