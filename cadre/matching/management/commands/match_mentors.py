import sys

from django.core.management.base import BaseCommand

from cadre.matching.cli import add_arguments, match_files, process_started


class Command(BaseCommand):
    help = (
        "Match mentees to mentors: the most mentees matched, then the largest total score, exactly. "
        "Writes MATCHES.csv and prints matched=N unmatched=U total_score=S seconds=T; exits non-zero, "
        "writing nothing, when the files have problems."
    )
    # Files in, a file out: no database, no URLs, so Django's system checks would only cost time.
    requires_system_checks = []

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, mentees, mentors, out, **options):
        status = match_files(
            mentees=mentees, mentors=mentors, out=out, started=process_started(), stdout=self.stdout, stderr=self.stderr
        )
        if status:
            sys.exit(status)
