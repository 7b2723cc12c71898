"""`python -m bench`: every benchmark, on SQLite and (when it answers) PostgreSQL, as tables.

Each benchmark runs on each database in a child process of its own, on a fresh database,
because Django is set up once per process: `python -m bench --child sqlite --only pages`
prints its results as one JSON line, which the parent gathers into one table per benchmark."""

import argparse
import json
import shutil
import subprocess
import sys
import time

from bench import POSTGRESQL, SQLITE, pg_url, postgres_answers, progress, setup_django

BENCHMARKS = ("people_import", "pages", "report_page")
# Pure computation, no database: each runs once as `python -m bench.<name>` with its size option.
KERNELS = {"feedback": "--participants", "grouping": "--people", "matching": "--mentees"}
MARKER = "BENCH-RESULTS "


def module(name: str):
    from importlib import import_module

    return import_module(f"bench.{name}")


def run_child(database: str, sizes: dict[str, int], only: list[str]) -> dict[str, list[dict]]:
    work_dir = setup_django(database)
    progress(f"[{database}] Django set up on a fresh database (working folder {work_dir})")
    results = {}
    try:
        for name in only:
            started = time.perf_counter()
            progress(f"[{database}] {name} at size {sizes[name]:,} ...")
            measured = module(name).measure(sizes[name])
            results[name] = measured if isinstance(measured, list) else [measured]
            progress(f"[{database}] {name} done in {time.perf_counter() - started:.1f} s")
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(work_dir, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="HR import: people before, rows in the file")
    parser.add_argument("--staff", type=int, default=2_000, help="pages: staff in the organisation")
    parser.add_argument("--raters", type=int, default=30, help="report page: raters in the larger 360")
    parser.add_argument("--participants", type=int, default=100_000, help="360 aggregation: participants")
    parser.add_argument("--people", type=int, default=3_000, help="group forming: the larger generated cohort")
    parser.add_argument("--mentees", type=int, default=5_000, help="mentor matching: mentees (mentors: two in five)")
    parser.add_argument(
        "--only", choices=BENCHMARKS + tuple(KERNELS), action="append", help="run only this benchmark (repeatable)"
    )
    parser.add_argument(
        "--database",
        choices=(SQLITE, POSTGRESQL, "all"),
        default="all",
        help="all (the default) runs SQLite, and PostgreSQL when it answers",
    )
    parser.add_argument("--child", choices=(SQLITE, POSTGRESQL), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = {"people_import": args.rows, "pages": args.staff, "report_page": args.raters}
    only = args.only or [*BENCHMARKS, *KERNELS]
    kernels = [name for name in only if name in KERNELS]
    only = [name for name in only if name in BENCHMARKS]
    kernel_sizes = {"feedback": args.participants, "grouping": args.people, "matching": args.mentees}

    if args.child:
        results = run_child(args.child, sizes, only)
        print(MARKER + json.dumps(results), flush=True)
        return 0

    databases = [SQLITE, POSTGRESQL] if args.database == "all" else [args.database]
    notes = []
    if POSTGRESQL in databases and not postgres_answers():
        if args.database == POSTGRESQL:
            print(f"PostgreSQL does not answer at {pg_url()}.", file=sys.stderr)
            return 1
        databases.remove(POSTGRESQL)
        notes.append(f"PostgreSQL does not answer at {pg_url()}: its rows were left out.")

    gathered: dict[str, list[dict]] = {name: [] for name in only}
    failed = False
    # One child, and so one fresh database, per benchmark and database: no benchmark sees
    # another's rows.
    for name in only:
        for database in databases:
            command = [sys.executable, "-m", "bench", "--child", database, f"--only={name}"]
            command += ["--rows", str(args.rows), "--staff", str(args.staff), "--raters", str(args.raters)]
            finished = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
            lines = [line for line in finished.stdout.splitlines() if line.startswith(MARKER)]
            if finished.returncode or not lines:
                failed = True
                notes.append(
                    f"{name} on {database} failed (exit status {finished.returncode}); see the messages above."
                )
                continue
            gathered[name].extend(json.loads(lines[-1][len(MARKER) :])[name])

    for name in only:
        if gathered[name]:
            print()
            print(module(name).table(gathered[name]))
    for name in kernels:
        command = [sys.executable, "-m", f"bench.{name}", KERNELS[name], str(kernel_sizes[name])]
        finished = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        print()
        print(finished.stdout.rstrip())
        if finished.returncode:
            failed = True
            notes.append(f"{name} failed (exit status {finished.returncode}); see the messages above.")
    for note in notes:
        print()
        print(note)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
