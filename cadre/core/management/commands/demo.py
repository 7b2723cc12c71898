import os
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from cadre.core.errors import ValidationError
from cadre.core.processes import PortInUse, port_is_free, serve
from cadre.demo.data import DEMO_PASSWORD
from cadre.demo.selectors import demo_sign_ins_present
from cadre.demo.services import demo_load

HOST = "127.0.0.1"


class Command(BaseCommand):
    help = (
        "Try Cadre: prepare the database, load the demonstration organisations and people (once), "
        "print the demo sign-ins and run the web server with its task worker until Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument("--no-serve", action="store_true", help="Load the demo and print the sign-ins, then exit.")
        parser.add_argument(
            "--reset", action="store_true", help="Delete the SQLite database first and start again from nothing."
        )
        parser.add_argument("--yes", action="store_true", help="With --reset: delete without asking.")

    def handle(self, *args, port, no_serve, reset, yes, **options):
        if not 0 < port < 65536:
            raise CommandError(f"{port} is not a port number: choose one from 1 to 65535, such as 8000.")
        url = f"http://{HOST}:{port}"
        if not no_serve and not port_is_free(HOST, port):
            raise CommandError(
                f"Something is already using port {port} (is Cadre already running?). "
                f"Stop it, or choose another port with --port {port + 1}."
            )
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        if reset:
            self._reset(yes=yes)

        self.stdout.write("Preparing the database…")
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        try:
            loaded = demo_load()
        except ValidationError as error:
            raise CommandError("\n".join(str(p) for p in error.problems)) from error
        if loaded.loaded:
            people = ", ".join(f"{name} ({count:,} people)" for name, count in loaded.people.items())
            self.stdout.write(f"Loaded the demo in {time.perf_counter() - started:.1f} seconds: {people}.")
        else:
            self.stdout.write("The demo is already loaded: using it as it is (--reset starts again).")
        self._print_sign_ins(url)

        if no_serve:
            self.stdout.write(f"Start Cadre with `cadre demo` and open {url}")
            return
        self._prepare_reports()
        self.stdout.write("\nStarting the web server and the task worker. Press Ctrl-C to stop.")
        env = {**os.environ, "DEBUG": "0", "SITE_URL": url, "CADRE_DEMO": "1"}
        try:
            code = serve(
                bind=f"{HOST}:{port}",
                workers=1,  # one process with a few threads suits SQLite
                threads=4,
                task_backend=settings.TASK_BACKEND,
                access_log=False,
                env=env,
                report=self._say,
                ready_message=f"Cadre is running at {url}",
            )
        except PortInUse as error:
            raise CommandError(f"{error} Choose another port with --port.") from error
        if code:
            raise CommandError("Cadre stopped because one of its processes failed (see above).", returncode=code)

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def _prepare_reports(self) -> None:
        """Compile the 360 aggregation now (numba caches it on disk), so the first report is quick."""
        import numpy as np

        from cadre.kernels.feedback import aggregate_feedback

        started = time.perf_counter()
        aggregate_feedback(
            ratings=np.ones((2, 1), dtype=np.int8),
            response_participant=np.zeros(2, dtype=np.int32),
            response_group=np.array([0, 1], dtype=np.int8),
            item_attribute=np.zeros(1, dtype=np.int16),
            thresholds=[1, 2],
            combined_threshold=2,
        )
        if time.perf_counter() - started > 1:
            self.stdout.write(
                f"Prepared the 360 reports in {time.perf_counter() - started:.1f} seconds (first run only)."
            )

    def _print_sign_ins(self, url: str) -> None:
        sign_ins = demo_sign_ins_present()
        rows = [("Kind of user", "Email", "Password")] + [(s.kind, s.email, DEMO_PASSWORD) for s in sign_ins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write(f"\nOpen {url} and sign in as any of these:\n")
        for i, row in enumerate(rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(f"  {line}".rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
        self.stdout.write(f"\nEmails Cadre sends are kept, not sent: read them at {url}/outbox/\n")

    def _reset(self, *, yes: bool) -> None:
        database = connections["default"].settings_dict
        if database["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError(
                "--reset deletes the SQLite database, but this installation uses another database "
                "(DATABASE_URL). Empty that database yourself if you mean to."
            )
        name = str(database["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise CommandError("The database is held in memory: there is no file to delete.")
        path = Path(name)
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(f"--reset deletes {path}. Add --yes to delete it without being asked.")
            answer = input(f"This deletes {path} and everything in it. Type yes to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was deleted.")
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        self.stdout.write(f"Deleted {path}.")
