"""`cadre run-schedule`: start the diagnostic rounds that are due, send the reminders that are due,
and pass lapsed programme offers to the waiting list, then (with --every) keep doing so. `cadre
serve` and `cadre demo` run it alongside the web server and the task worker; an operator may
instead run it once from cron."""

import time

from django.core.management.base import BaseCommand

from cadre.diagnostics.services import scheduled_work_run
from cadre.programmes.services.schedule import programmes_scheduled_run


class Command(BaseCommand):
    help = "Start due rounds, send due reminders, pass on lapsed offers (once, or every N minutes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=float, default=0, help="Minutes between runs; 0 (the default) runs once and stops."
        )

    def handle(self, *args, every: float, **options):
        if every < 0:
            self.stderr.write("--every must be 0 or more minutes.")
            raise SystemExit(2)
        while True:
            done = scheduled_work_run() | programmes_scheduled_run()
            self.stdout.write(" ".join(f"{name}={count}" for name, count in done.items()))
            self.stdout.flush()
            if not every:
                return
            time.sleep(every * 60)
