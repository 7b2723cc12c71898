import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cadre.core.commands import unknown_organisation
from cadre.core.models import Organisation
from cadre.frameworks.interchange import dump, export_case, export_csv, export_framework
from cadre.frameworks.models import Framework


class Command(BaseCommand):
    help = (
        "Export an organisation's framework: cadre (every version; JSON when FILE ends in .json, else YAML), "
        "csv (one row per indicator of the published version, else the draft) or case (a CASE 1.0 package "
        "of that version). --out - writes to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--framework", required=True, help="The framework's name, slug or id.")
        parser.add_argument("--format", choices=["cadre", "csv", "case"], required=True)
        parser.add_argument("--out", required=True, help="The file to write, or - for standard output.")

    def handle(self, *args, organisation, framework, format, out, **options):
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(unknown_organisation(organisation))
        found = Framework.objects.filter(owner_organisation=org)
        match = Q(name=framework) | Q(slug=framework)
        if framework.isdigit():
            match |= Q(pk=int(framework))
        candidates = list(found.filter(match))
        if not candidates:
            raise CommandError(f"{org.name} has no framework called {framework}.")
        if len(candidates) > 1:
            listed = ", ".join(f"{f.name} (id {f.pk})" for f in candidates)
            raise CommandError(f"More than one framework matches {framework}: {listed}. Give the id.")
        chosen = candidates[0]
        if format == "cadre":
            text = dump(export_framework(chosen), as_json=out.lower().endswith(".json"))
        elif format == "csv":
            text = export_csv(chosen)
        else:
            if not chosen.versions.exists():
                raise CommandError(f"{chosen.name} has no versions to export.")
            text = json.dumps(export_case(chosen), ensure_ascii=False, indent=2) + "\n"
        if out == "-":
            self.stdout.write(text, ending="")
        else:
            Path(out).write_text(text, encoding="utf-8", newline="")
            self.stderr.write(f"Wrote {chosen.name} ({format}) to {out}.")
