"""A throwaway database for a benchmark: SQLite in a temp dir, or a fresh database on
DATABASE_URL's PostgreSQL server, created, migrated and dropped at the end."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse


@contextlib.contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """Set Django up on a database of its own; yields the vendor ("sqlite" or "postgresql")."""
    workdir = Path(tempfile.mkdtemp(prefix=f"adcreator-{prefix}-"))
    os.environ["ADCREATOR_VAR_DIR"] = str(workdir)
    os.environ["ADCREATOR_SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adcreator.settings")
    base = os.environ.get("DATABASE_URL")
    db_name = None
    if base and base.startswith("postgres"):
        import psycopg

        db_name = f"adcreator_{prefix}_{os.getpid()}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        os.environ["DATABASE_URL"] = urlunparse(urlparse(base)._replace(path=f"/{db_name}"))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        yield connection.vendor
    finally:
        if db_name:
            import psycopg
            from django.db import connections

            connections.close_all()
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            os.environ["DATABASE_URL"] = base
