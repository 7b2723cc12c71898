"""cadre rotate-issuer-key ORGANISATION: sign the organisation's credentials with a new key from now on.
The old key is kept, retired, so that everything it signed still verifies."""

from django.core.management.base import BaseCommand, CommandError

from cadre.core.commands import unknown_organisation
from cadre.core.models import Organisation
from cadre.credentials.services import issuer_key_rotate


class Command(BaseCommand):
    help = "Give an organisation a new signing key for its credentials; older keys still verify what they signed."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="The organisation's slug.")

    def handle(self, *args, organisation: str, **options):
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(unknown_organisation(organisation))
        key = issuer_key_rotate(organisation=org, actor=None)
        self.stdout.write(f"new key {key.kid} for {org.name}; {org.issuer_keys.count() - 1} older key(s) kept")
