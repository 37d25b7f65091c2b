"""Backup and restore round trips through `manage.py backup` / `restore` (what `make backup` and
`make restore` run): SQLite always; PostgreSQL too when the suite runs on it and pg_dump exists,
into a throwaway database."""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1"}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, check=False
    )


def test_sqlite_round_trip(tmp_path):
    db = tmp_path / "site.sqlite3"
    url = f"sqlite:///{db}"
    with sqlite3.connect(db) as conn:
        conn.execute("create table listing (id integer primary key, name text)")
        conn.executemany("insert into listing (name) values (?)", [("Épicerie",), ("Club de foot",)])
    result = manage("backup", "--output-dir", str(tmp_path / "backups"), database_url=url)
    assert result.returncode == 0, result.stderr
    (backup,) = (tmp_path / "backups").glob("lyonassos-*.sqlite3")
    assert len(backup.stem.removeprefix("lyonassos-")) == len("20261126-101500")

    with sqlite3.connect(db) as conn:  # an accident after the backup
        conn.execute("delete from listing")
        conn.execute("create table after_backup (x)")
    result = manage("restore", "--noinput", str(backup), database_url=url)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select name from listing order by id").fetchall() == [
            ("Épicerie",),
            ("Club de foot",),
        ]
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type='table'")}
    assert "after_backup" not in tables


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    db = tmp_path / "site.sqlite3"
    sqlite3.connect(db).close()
    fake = tmp_path / "lyonassos-20261126-000000.sqlite3"
    fake.write_text("<html>not a database</html>")
    result = manage("restore", "--noinput", str(fake), database_url=f"sqlite:///{db}")
    assert result.returncode != 0
    assert "not a SQLite database" in result.stderr


def test_backup_keeps_the_newest(tmp_path):
    from directory import backup

    for stamp in ("20261120-010000", "20261121-010000", "20261122-010000"):
        (tmp_path / f"lyonassos-{stamp}.sqlite3").write_bytes(b"")
    removed = backup.prune(tmp_path, keep=2)
    assert [p.name for p in removed] == ["lyonassos-20261120-010000.sqlite3"]
    assert len(list(tmp_path.iterdir())) == 2


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"] or not shutil.which("pg_dump"),
    reason="PostgreSQL round trip: run the suite with DATABASE_URL=postgres://… and pg_dump installed",
)
def test_postgresql_round_trip(tmp_path):
    import psycopg

    db = settings.DATABASES["default"]
    name = f"lyonassos_backup_{uuid.uuid4().hex[:8]}"
    auth = f"{db['USER']}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
    server = f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(f"{server}/{name}", autocommit=True) as conn:
            conn.execute("create table listing (id serial primary key, name text)")
            conn.execute("insert into listing (name) values ('Épicerie'), ('Club de foot')")
        url = f"{server}/{name}"
        result = manage("backup", "--output-dir", str(tmp_path), database_url=url)
        assert result.returncode == 0, result.stderr
        (dump,) = tmp_path.glob("lyonassos-*.dump")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("drop table listing")
        result = manage("restore", "--noinput", str(dump), database_url=url)
        assert result.returncode == 0, result.stderr
        with psycopg.connect(url) as conn:
            rows = conn.execute("select name from listing order by id").fetchall()
        assert rows == [("Épicerie",), ("Club de foot",)]
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
