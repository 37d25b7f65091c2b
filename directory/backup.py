"""Database backup and restore: `pg_dump -Fc` / `pg_restore` on PostgreSQL, SQLite's online
backup API otherwise. Used by `manage.py backup` and `manage.py restore` (and `make backup`,
`make restore FILE=…`)."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

PREFIX = "lyonassos-"


class BackupError(Exception):
    pass


def engine(alias="default"):
    name = settings.DATABASES[alias]["ENGINE"]
    if name.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in name:
        return "postgresql"
    raise BackupError(f"No backup method for the database engine {name}.")


def pg_env(db):
    """libpq environment of a DATABASES entry (the password never appears on a command line)."""
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: apt-get install postgresql-client (same major as the server).")
    return path


def backup(directory, *, alias="default", now=None):
    """Writes backups/lyonassos-YYYYmmdd-HHMMSS.{dump|sqlite3}; returns its path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    # Wall time in the site's zone (TIME_ZONE), so the name reads as the operator's clock.
    stamp = (now or timezone.localtime()).strftime("%Y%m%d-%H%M%S")
    db = settings.DATABASES[alias]
    kind = engine(alias)
    target = directory / f"{PREFIX}{stamp}.{'dump' if kind == 'postgresql' else 'sqlite3'}"
    partial = target.with_name(target.name + ".partial")
    if kind == "postgresql":
        subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial)],
            env=pg_env(db),
            check=True,
            capture_output=True,
        )
    else:
        # The online backup API copies a consistent snapshot while the site keeps writing (WAL).
        source = sqlite3.connect(str(db["NAME"]))
        dest = sqlite3.connect(str(partial))
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
    partial.replace(target)  # never a half-written file under the final name
    return target


def prune(directory, keep):
    """Deletes the oldest backups beyond `keep`; returns the removed paths."""
    files = sorted(Path(directory).glob(f"{PREFIX}*.dump")) + sorted(
        Path(directory).glob(f"{PREFIX}*.sqlite3")
    )
    files.sort(key=lambda p: p.name)
    removed = files[:-keep] if keep and len(files) > keep else []
    for path in removed:
        path.unlink()
    return removed


def restore(path, *, alias="default"):
    """Replaces the database's content with the backup at `path` (same engine)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    db = settings.DATABASES[alias]
    kind = engine(alias)
    connections[alias].close()
    if kind == "postgresql":
        if path.suffix != ".dump":
            raise BackupError("A PostgreSQL database restores from a pg_dump -Fc file (.dump).")
        subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                db["NAME"],
                str(path),
            ],
            env=pg_env(db),
            check=True,
            capture_output=True,
        )
    else:
        if path.suffix != ".sqlite3":
            raise BackupError("A SQLite database restores from a .sqlite3 backup.")
        with open(path, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{path} is not a SQLite database.")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dest = sqlite3.connect(str(db["NAME"]))
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
