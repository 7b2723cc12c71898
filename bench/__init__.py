"""Cadre's benchmarks: `make bench` (`python -m bench`) runs them all and prints tables.

Each benchmark module exposes `measure(size)`, which builds its own data in whatever database
Django is set up with and returns its result (a dict, or a list of them: one per table row),
and `table(results)`, which formats them. Under pytest that is the test database
(tests/bench/ runs every benchmark once at a tiny size); from the command line, `python -m
bench` runs each benchmark on each database in a child process that calls `setup_django`
first: a temporary SQLite file in WAL mode, and PostgreSQL (a fresh `cadre_bench` database,
or BENCH_DATABASE_URL) when it answers. Nothing here reads or writes var/."""

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/cadre_bench"


def pg_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG_URL)


def postgres_answers(url: str | None = None) -> bool:
    """Whether a PostgreSQL server answers at the URL's host (its database need not exist yet)."""
    import psycopg

    parts = urlsplit(url or pg_url())
    try:
        psycopg.connect(_maintenance_dsn(parts), connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def _maintenance_dsn(parts) -> str:
    return parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)


def _recreate_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("cadre_bench"):
        raise SystemExit(f"Refusing to recreate {name!r}: benchmark databases are named cadre_bench*.")
    with psycopg.connect(_maintenance_dsn(parts), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(database: str, work_dir: Path | None = None) -> Path:
    """Point Django at a fresh benchmark database, migrate it, and return the working folder.

    SQLite: a file in a temporary folder, which Cadre's settings open in WAL mode.
    PostgreSQL: the database named by BENCH_DATABASE_URL (default cadre_bench), dropped and
    created again so every run starts from the same place."""
    work_dir = Path(work_dir or tempfile.mkdtemp(prefix="cadre-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cadre.settings"
    os.environ["CADRE_VAR_DIR"] = str(work_dir)
    os.environ["TASK_BACKEND"] = "immediate"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.pop("REDIS_URL", None)
    if database == SQLITE:
        os.environ["DATABASE_URL"] = f"sqlite:///{work_dir / 'bench.sqlite3'}"
    elif database == POSTGRESQL:
        _recreate_postgres_database(pg_url())
        os.environ["DATABASE_URL"] = pg_url()
    else:
        raise ValueError(f"Unknown database {database!r}: use {SQLITE} or {POSTGRESQL}.")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return work_dir


def database_label() -> str:
    """The database Django is using, as the tables show it."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
        return f"SQLite {connection.Database.sqlite_version} ({mode})"
    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.pg_version // 10000}"
    return connection.vendor


def format_table(title: str, columns: list[tuple[str, str]], rows: list[dict]) -> str:
    """A plain-text table: `columns` is a list of (key, heading); numbers are right-aligned."""

    def text(value) -> str:
        if isinstance(value, float):
            return f"{value:,.2f}"
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}"
        return str(value)

    cells = [[text(row.get(key, "")) for key, _ in columns] for row in rows]
    widths = [max([len(heading)] + [len(line[i]) for line in cells]) for i, (_, heading) in enumerate(columns)]
    numeric = [all(isinstance(row.get(key), int | float) for row in rows) and rows for key, _ in columns]

    def line(values) -> str:
        return "  ".join(
            value.rjust(width) if is_number else value.ljust(width)
            for value, width, is_number in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [title, line([heading for _, heading in columns]), line(["-" * width for width in widths])]
    out.extend(line(values) for values in cells)
    return "\n".join(out)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
