"""The two database roles (docs/operations.md "Database roles").

- the **owner** owns the database, its schema and every table; migrations run as it;
- the **app** role is what the site connects as: it may read and write rows where the app
  needs to (SELECT, INSERT, UPDATE, DELETE), never TRUNCATE, ALTER, own a table or control
  its triggers, and on the append-only logs (money, personal-data reveals) only SELECT and
  INSERT. Neither is a superuser, so ``session_replication_role`` (which would silence
  the triggers that keep paid money immutable) is out of reach of both.

``setup_roles`` is idempotent: it creates what is missing, re-applies the grants and hands
any table not yet owned by the owner to it (an install that ran as one role until now). It
runs on a cursor of a connection that may create roles (a superuser, or the ``postgres``
of the quick start's embedded server), inside the caller's transaction.
"""

from psycopg import sql

# Rows here are never changed or removed, not even by the app.
APPEND_ONLY_TABLES = (
    "funds_moneyevent",
    "corridors_personaldataaccess",
    # The audit trail of privileged changes (corridors/models/audit.py).
    "corridors_accountevent",
    "corridors_roleevent",
    "corridors_oversightevent",
    "corridors_buildingevent",
    "corridors_buildinggroupevent",
    "corridors_neighbourhoodevent",
    "corridors_compoundevent",
    "corridors_departmentevent",
)


def _role_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    return cursor.fetchone() is not None


def _ensure_role(cursor, name: str, password: str | None) -> None:
    verb = "ALTER" if _role_exists(cursor, name) else "CREATE"
    statement = sql.SQL(
        "{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"
    ).format(sql.SQL(verb), sql.Identifier(name))
    if password:
        statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
    cursor.execute(statement)


def setup_roles(
    cursor,
    *,
    database: str,
    owner: str,
    app: str,
    owner_password: str | None = None,
    app_password: str | None = None,
    schema: str = "public",
) -> None:
    """Create or update the owner and app roles of ``database`` and their privileges."""
    if owner == app:
        raise ValueError("The owner and the app must be two different roles.")
    _ensure_role(cursor, owner, owner_password)
    _ensure_role(cursor, app, app_password)
    ident = sql.Identifier
    run = cursor.execute
    run(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(ident(database), ident(owner)))
    run(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(ident(schema), ident(owner)))
    # Nobody but the owner creates objects in the schema.
    run(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(ident(schema)))
    run(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(ident(database), ident(app)))
    run(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(ident(schema), ident(app)))
    # Tables, sequences and functions made by another role until now become the owner's.
    cursor.execute(
        """
        SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND pg_get_userbyid(c.relowner) <> %s
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
        """,
        [schema, owner],
    )
    for name, kind in cursor.fetchall():
        word = "SEQUENCE" if kind == "S" else "VIEW" if kind == "v" else "TABLE"
        run(sql.SQL("ALTER {} {}.{} OWNER TO {}").format(sql.SQL(word), ident(schema), ident(name), ident(owner)))
    cursor.execute(
        """
        SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = %s AND pg_get_userbyid(p.proowner) <> %s
        """,
        [schema, owner],
    )
    for (signature,) in cursor.fetchall():
        run(sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(sql.SQL(signature), ident(owner)))
    # The app's rights: rows only, now and on every table the owner's migrations make later.
    run(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(ident(schema), ident(app)))
    run(
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(
            ident(schema), ident(app)
        )
    )
    run(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(ident(schema), ident(app)))
    run(
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
        ).format(ident(owner), ident(schema), ident(app))
    )
    run(
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}").format(
            ident(owner), ident(schema), ident(app)
        )
    )
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename = ANY(%s)",
        [schema, list(APPEND_ONLY_TABLES)],
    )
    for (table,) in cursor.fetchall():
        run(sql.SQL("REVOKE UPDATE, DELETE ON {}.{} FROM {}").format(ident(schema), ident(table), ident(app)))


def role_names(database: str) -> tuple[str, str]:
    """The quick start's two roles, named after its database."""
    return f"{database}_owner", f"{database}_app"
