import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cadre.core.commands import unknown_organisation
from cadre.core.models import Organisation
from cadre.core.privacy import person_export
from cadre.people.models import Person


def find_person(*, organisation: str, employee_number: str | None, email: str | None) -> Person:
    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise CommandError(unknown_organisation(organisation))
    if not employee_number and not email:
        raise CommandError("Name the person by employee number or by --email.")
    people = Person.objects.filter(organisation=org)
    people = people.filter(employee_number=employee_number) if employee_number else people.filter(email__iexact=email)
    found = list(people.select_related("organisation", "department", "tier", "line_manager", "endorser", "user")[:2])
    if not found:
        named = f"employee number {employee_number}" if employee_number else f"the email {email}"
        raise CommandError(f"No one in {org.name} has {named}.")
    if len(found) > 1:
        raise CommandError("More than one person matches: use the employee number.")
    return found[0]


class Command(BaseCommand):
    help = "Write everything Cadre holds about one person as JSON (to standard output or --out FILE)."

    def add_arguments(self, parser):
        parser.add_argument("employee_number", nargs="?")
        parser.add_argument("--organisation", required=True)
        parser.add_argument("--email")
        parser.add_argument("--out")

    def handle(self, *args, employee_number, organisation, email, out, **options):
        person = find_person(organisation=organisation, employee_number=employee_number, email=email)
        text = json.dumps(person_export(person=person, actor=None), indent=2, ensure_ascii=False)
        if out:
            Path(out).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Wrote {out}")
        else:
            self.stdout.write(text)
