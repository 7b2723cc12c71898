from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cadre.core.errors import ValidationError
from cadre.core.models import Organisation, Role
from cadre.core.services import invitation_send, organisation_create


class Command(BaseCommand):
    help = "Create an organisation and invite its first administrator (the link is printed and emailed)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Short name used in commands and addresses, such as north-borough.")
        parser.add_argument("--name", required=True, help="The organisation's full name.")
        parser.add_argument("--type", required=True, choices=Organisation.Type.values)
        parser.add_argument("--admin-email", required=True, help="Who to invite as organisation administrator.")

    def handle(self, *args, slug, name, type, admin_email, **options):
        try:
            with transaction.atomic():
                organisation = organisation_create(slug=slug, name=name, type=type)
                _, link = invitation_send(
                    organisation=organisation, email=admin_email, roles=[Role.ORG_ADMIN, Role.MEMBER]
                )
        except ValidationError as error:
            raise CommandError("\n".join(str(p) for p in error.problems)) from error
        self.stdout.write(f"Created {organisation.name} ({organisation.slug}).")
        self.stdout.write(f"Invitation for {admin_email.strip().lower()}: {link}")
