import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cadre.core.commands import unknown_organisation
from cadre.core.errors import ValidationError
from cadre.core.models import Organisation
from cadre.people import hr_import
from cadre.people.services import import_file


class Command(BaseCommand):
    help = (
        "Import staff from an HR export (CSV or XLSX). Prints new=N changed=C unchanged=U left=L errors=E "
        "and exits non-zero when anything is refused; nothing is written unless the whole file can be."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument(
            "--mode",
            choices=hr_import.Mode.CHOICES,
            default=hr_import.Mode.PARTIAL,
            help="full: people missing from the file are marked as left. Default: partial.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument("--mapping", help="A YAML file mapping your column headings to Cadre's fields.")
        parser.add_argument("--show", type=int, default=20, help="How many row outcomes to list (default 20).")

    def handle(self, *args, file, organisation, mode, dry_run, mapping, show, **options):
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(unknown_organisation(organisation))
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file} is not a file.")
        column_mapping = {}
        if mapping:
            try:
                column_mapping = hr_import.load_mapping(Path(mapping).read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"The column mapping {mapping} cannot be read: {error}") from error
            except ValidationError as error:
                raise CommandError(str(error)) from error
        try:
            plan = hr_import.plan_import(
                organisation_id=org.pk,
                data=path.read_bytes(),
                filename=path.name,
                mode=mode,
                mapping=column_mapping,
            )
        except ValidationError as error:
            for problem in error.problems:
                self.stderr.write(f"error: {problem}")
            self.stdout.write("new=0 changed=0 unchanged=0 left=0 errors=1")
            sys.exit(1)
        for problem in plan.problems:
            self.stderr.write(f"error: {problem}")
        shown = 0
        for outcome in plan.outcomes:
            if outcome.outcome in {"new", "changed", "left"} and shown < show:
                detail = ", ".join(
                    f"{k}: {v[0] or '(blank)'} → {v[1] or '(blank)'}" for k, v in outcome.changes.items()
                )
                where = f"row {outcome.row}" if outcome.row else "not in file"
                self.stderr.write(f"{outcome.outcome}: {where} {outcome.employee_number} {outcome.name}  {detail}")
                shown += 1
        if not plan.ok:
            self.stdout.write(plan.summary_line())
            sys.exit(1)
        if not dry_run:

            def progress(phase, done, total):
                if total:
                    self.stderr.write(f"\r{phase}: {done}/{total}", ending="")
                    self.stderr.flush()

            # Planned again under the organisation's lock, so a concurrent import cannot slip in.
            try:
                plan = import_file(
                    organisation_id=org.pk,
                    data=path.read_bytes(),
                    filename=path.name,
                    mode=mode,
                    mapping=column_mapping,
                    actor=None,
                    progress=progress,
                )
            except ValidationError as error:
                self.stderr.write("")
                for problem in error.problems:
                    self.stderr.write(f"error: {problem}")
                self.stdout.write("new=0 changed=0 unchanged=0 left=0 errors=" + str(len(error.problems)))
                sys.exit(1)
            self.stderr.write("")
        if dry_run:
            self.stderr.write("Dry run: nothing was written.")
        self.stdout.write(plan.summary_line())
