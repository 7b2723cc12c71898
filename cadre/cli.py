"""The `cadre` command: Django's management commands and Cadre's own, with hyphenated names.

cadre migrate
cadre create-organisation north-borough --name "North Borough Council" --type council --admin-email a@b
cadre import-people staff.csv --organisation north-borough --mode full --dry-run
cadre demo          (the one-command demonstration)
cadre serve         (web server and task worker)
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cadre", *argv[1:]])


if __name__ == "__main__":
    main()
