import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from cadre.core.processes import PortInUse, serve, split_bind


class Command(BaseCommand):
    help = (
        "Run Cadre's web server (gunicorn) and its task worker together; Ctrl-C or SIGTERM stops both, "
        "and if either stops the other is stopped too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="Address and port to listen on (default 127.0.0.1:8000)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="Web server processes (default: WEB_CONCURRENCY, or 2).",
        )
        parser.add_argument("--threads", type=int, default=4, help="Threads in each web server process (default 4).")

    def handle(self, *args, bind, workers, threads, **options):
        try:
            split_bind(bind)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must each be at least 1.")
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not up to date: run `cadre migrate` first.")
        try:
            code = serve(
                bind=bind,
                workers=workers,
                threads=threads,
                task_backend=settings.TASK_BACKEND,
                access_log=True,
                report=self._say,
                ready_message=f"Cadre is listening on {bind}.",
            )
        except PortInUse as error:
            raise CommandError(f"{error} Stop it, or choose another address with --bind.") from error
        if code:
            raise CommandError("Cadre stopped because one of its processes failed (see above).", returncode=code)

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
