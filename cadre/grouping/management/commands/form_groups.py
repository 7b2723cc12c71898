import os
import sys

from django.core.management.base import BaseCommand

from cadre.grouping import command
from cadre.grouping.clock import process_started


class Command(BaseCommand):
    help = command.DESCRIPTION
    # No database, no URLs, no templates: the system checks would only add their seconds.
    requires_system_checks = []
    started: float | None = None  # from the command line: when the process started

    def run_from_argv(self, argv):
        self.started = process_started()
        super().run_from_argv(argv)
        # From the command line only (never under call_command): leave at once, as
        # `python -m cadre.grouping` does. The groups file is written and closed; the
        # interpreter's clean-up with Django and numba loaded takes about half a second that the
        # summary line, already printed, could not count.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    def add_arguments(self, parser):
        command.add_arguments(parser)

    def handle(self, *args, input_file, size, out, seconds, seed, conflicts, **options):
        status = command.execute(
            input_file=input_file,
            size=size,
            out=out,
            seconds=seconds,
            seed=seed,
            conflicts=conflicts,
            stdout=self.stdout,
            stderr=self.stderr,
            started=self.started,
        )
        if status:
            sys.exit(status)
