import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cadre.core.commands import unknown_organisation
from cadre.core.errors import ValidationError
from cadre.core.models import Organisation
from cadre.frameworks.interchange import FORMATS, framework_import, plan_import


class Command(BaseCommand):
    help = (
        "Import a framework file (Cadre's YAML or JSON, a CSV with one row per indicator, or a CASE 1.0 "
        "package). Prints attributes=A tiers=T indicators=I skipped=S for the newest version in the file; "
        "lists problems and skipped items on stderr; exits non-zero, writing nothing, when the file is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="The slug of the organisation that will own it.")
        parser.add_argument("--format", choices=["auto", *FORMATS], default="auto")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be imported; write nothing.")

    def handle(self, *args, file, organisation, format, dry_run, verbosity, **options):
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(unknown_organisation(organisation))
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file} is not a file.")
        data = path.read_bytes()
        plan = plan_import(data=data, filename=path.name, format=format, organisation=org)
        self._report(plan, detailed=dry_run or verbosity > 1)
        if not plan.ok:
            self.stderr.write("The file was refused. Nothing was written.")
            sys.exit(1)
        if not dry_run:
            try:
                framework = framework_import(plan=plan, organisation=org, actor=None)
            except ValidationError as error:
                for problem in error.problems:
                    self.stderr.write(f"error: {problem}")
                self.stderr.write("The file was refused. Nothing was written.")
                sys.exit(1)
            if plan.into is not None:
                self.stderr.write(
                    f"Imported as version {plan.into_number}, a draft, of {framework.name} "
                    f"(id {framework.pk}, slug {framework.slug})."
                )
            else:
                self.stderr.write(f"Imported {framework.name} (id {framework.pk}, slug {framework.slug}).")
        else:
            self.stderr.write("Dry run: nothing was written.")
        self.stdout.write(plan.summary_line())

    def _report(self, plan, *, detailed: bool) -> None:
        for problem in plan.problems:
            self.stderr.write(f"error: {problem}")
        for note in plan.notes:
            self.stderr.write(f"note: {note}")
        if detailed:
            for item in plan.mapped:
                self.stderr.write(f"mapped: {item}")
        for item in plan.skipped:
            self.stderr.write(f"skipped: {item}")
