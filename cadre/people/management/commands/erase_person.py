from django.core.management.base import BaseCommand, CommandError

from cadre.core.privacy import person_erase
from cadre.people.management.commands.export_person import find_person


class Command(BaseCommand):
    help = "Anonymise one person everywhere in Cadre, keeping aggregate figures. Cannot be undone."

    def add_arguments(self, parser):
        parser.add_argument("employee_number", nargs="?")
        parser.add_argument("--organisation", required=True)
        parser.add_argument("--email")
        parser.add_argument("--yes", action="store_true", help="Confirm that this cannot be undone.")

    def handle(self, *args, employee_number, organisation, email, yes, **options):
        person = find_person(organisation=organisation, employee_number=employee_number, email=email)
        if not yes:
            raise CommandError(f"Erasing {person.full_name} cannot be undone. Run again with --yes to confirm.")
        person_erase(person=person, actor=None)
        self.stdout.write(f"Erased person {person.pk}.")
