"""The `cadre` command: Django's management commands and Cadre's own, with hyphenated names.

cadre migrate
cadre create-organisation north-borough --name "North Borough Council" --type council --admin-email a@b
cadre import-people staff.csv --organisation north-borough --mode full --dry-run
cadre form-groups cohort.csv --size 6 --out groups.csv   (no database needed)
cadre match-mentors --mentees MENTEES.csv --mentors MENTORS.csv --out MATCHES.csv   (no database needed)
cadre demo          (the one-command demonstration)
cadre serve         (web server and task worker)
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "form-groups":
        # Group forming needs no database: its own command line, without Django's start-up.
        from cadre.grouping.command import main_and_exit

        main_and_exit(argv[2:])  # prints the summary line, then ends the process
    if len(argv) > 1 and argv[1] in {"match-mentors", "match_mentors"}:
        # Files in, a file out: no Django to set up (docs/matching.md).
        from cadre.matching.cli import exit_now
        from cadre.matching.cli import main as match_mentors

        exit_now(match_mentors(argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cadre", *argv[1:]])


if __name__ == "__main__":
    main()
