"""cadre verify-badge FILE: check a signed Open Badges 3.0 credential (a .jwt file) against the keys
and register of this Cadre. Prints one line; exits 0 when it is valid, 1 when it is not, 2 when the
file cannot be read. What it checks is in docs/credentials.md."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from cadre.credentials.verification import MAX_TOKEN_LENGTH, verify

VALID, INVALID, UNREADABLE = 0, 1, 2


class Command(BaseCommand):
    help = (
        "Check a signed Open Badges 3.0 credential (the .jwt file from its page, or '-' for standard input). "
        "Prints 'valid issuer=... recipient=... achievement=...' or 'invalid: <reason>: <details>'; "
        "exits 0 valid, 1 invalid, 2 when the file cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file holding the compact JWT, or - to read standard input.")

    def handle(self, *args, file: str, **options):
        try:
            if file == "-":
                data = sys.stdin.buffer.read(MAX_TOKEN_LENGTH + 1)
            else:
                with Path(file).open("rb") as handle:
                    data = handle.read(MAX_TOKEN_LENGTH + 1)
            token = data.decode("utf-8")
        except OSError as error:
            self.stdout.write(f"unreadable: {file}: {error.strerror or error}")
            sys.exit(UNREADABLE)
        except UnicodeDecodeError:
            self.stdout.write(f"unreadable: {file} is not a text file; give the .jwt file of a credential.")
            sys.exit(UNREADABLE)
        outcome = verify(token)
        self.stdout.write(outcome.summary())
        sys.exit(VALID if outcome.valid else INVALID)
