"""The operators' commands: cadre import-framework (summary line, problems on stderr, exit codes,
nothing written on refusal or dry run) and cadre export-framework."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from cadre.frameworks.models import Framework
from tests.factories import OrganisationFactory
from tests.frameworks.test_cadre_format import import_document, small_document
from tests.frameworks.test_case import association, item, package

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_import_prints_the_summary_and_writes_the_framework(tmp_path):
    org = OrganisationFactory()
    path = tmp_path / "officers.yaml"
    path.write_text(yaml.safe_dump(small_document()))
    code, out, _err = run("import_framework", str(path), "--organisation", org.slug)
    assert (code, out) == (0, "attributes=1 tiers=1 indicators=0 skipped=0\n")
    assert org.frameworks.get().versions.count() == 2


def test_a_dry_run_shows_the_mapping_and_writes_nothing(tmp_path):
    org = OrganisationFactory()
    pkg = package(
        [item("a", "Working together"), item("a1", "Shares information"), item("x", "")],
        [association("a", "isChildOf", "doc"), association("a1", "isChildOf", "a"), association("x", "isChildOf", "a")],
    )
    path = tmp_path / "competencies.json"
    path.write_text(json.dumps(pkg))
    code, out, err = run("import_framework", str(path), "--organisation", org.slug, "--dry-run")
    assert (code, out) == (0, "attributes=1 tiers=1 indicators=1 skipped=1\n")
    assert "mapped: " in err and "→ attribute ‘Working together’ (it is a top-level item)" in err
    assert "skipped: " in err and "it has no text" in err
    assert "Dry run: nothing was written." in err
    assert not Framework.objects.filter(owner_organisation=org).exists()


def test_a_refused_file_exits_non_zero_with_every_problem_and_writes_nothing(tmp_path):
    org = OrganisationFactory()
    document = small_document()
    document["versions"][0]["indicators"][0]["attribute"] = "courageous"
    document["versions"][0]["tiers"][1]["key"] = "aspiring"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(document))
    code, out, err = run("import_framework", str(path), "--organisation", org.slug)
    assert code == 1 and out == ""
    assert "error: versions[0].indicators[0].attribute: names attribute ‘courageous’" in err
    assert "error: versions[0].tiers[1].key: Tier key ‘aspiring’ is used twice" in err
    assert "Nothing was written." in err
    assert not Framework.objects.filter(owner_organisation=org).exists()


def test_the_format_can_be_forced(tmp_path):
    org = OrganisationFactory()
    path = tmp_path / "framework.txt"
    path.write_text(
        "framework,attribute_key,attribute_name,tier_key,tier_name,tier_rank,text\nOfficers,agile,Agile,core,Core,1,Adapts.\n"
    )
    code, out, _ = run("import_framework", str(path), "--organisation", org.slug, "--format", "csv")
    assert (code, out) == (0, "attributes=1 tiers=1 indicators=1 skipped=0\n")


@pytest.mark.parametrize("fmt", ["cadre", "csv", "case"])
def test_export_then_import_through_the_commands(tmp_path, fmt):
    source = OrganisationFactory()
    framework = import_document(small_document(), source)
    path = tmp_path / f"out.{ {'cadre': 'yaml', 'csv': 'csv', 'case': 'json'}[fmt] }"
    code, _, _ = run(
        "export_framework",
        "--organisation",
        source.slug,
        "--framework",
        str(framework.pk),
        "--format",
        fmt,
        "--out",
        str(path),
    )
    assert code == 0 and path.stat().st_size > 0
    target = OrganisationFactory()
    code, out, err = run("import_framework", str(path), "--organisation", target.slug)
    expected = {
        "cadre": "attributes=1 tiers=1 indicators=0 skipped=0\n",  # counts of the newest version, the draft
        "csv": "attributes=2 tiers=2 indicators=5 skipped=0\n",  # the published version's indicators
        "case": "attributes=2 tiers=2 indicators=5 skipped=0\n",
    }[fmt]
    assert (code, out) == (0, expected), err


def test_export_finds_the_framework_by_name_and_refuses_an_unknown_one(tmp_path):
    org = OrganisationFactory()
    import_document(small_document(), org)
    out_path = tmp_path / "officers.json"
    code, _, _ = run(
        "export_framework",
        "--organisation",
        org.slug,
        "--framework",
        "Officers' framework",
        "--format",
        "cadre",
        "--out",
        str(out_path),
    )
    assert code == 0 and json.loads(out_path.read_text())["framework"]["slug"] == "officers"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="has no framework called Members"):
        call_command(
            "export_framework", "--organisation", org.slug, "--framework", "Members", "--format", "csv", "--out", "-"
        )


def test_an_unknown_organisation_lists_the_ones_there_are(tmp_path):
    from django.core.management import CommandError, call_command

    from tests.factories import OrganisationFactory

    OrganisationFactory(slug="kingsmere")
    with pytest.raises(
        CommandError, match=r"No organisation has the slug nowhere\. The organisations are: kingsmere\."
    ):
        call_command(
            "export_framework",
            "--organisation",
            "nowhere",
            "--framework",
            "x",
            "--format",
            "cadre",
            "--out",
            str(tmp_path / "f"),
        )
