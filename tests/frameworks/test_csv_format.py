"""The flat CSV (one row per indicator): export, import as a single draft, the round trip for what
a CSV carries, and every problem named by row and column."""

import csv
import io

import pytest
from hypothesis import given, settings

from cadre.frameworks.interchange import export_csv, framework_import, plan_import
from cadre.frameworks.interchange.csv_format import COLUMNS
from cadre.frameworks.models import FrameworkVersion
from tests.factories import OrganisationFactory
from tests.frameworks.test_cadre_format import framework_documents, import_document, small_document

pytestmark = pytest.mark.django_db

HEADING = ",".join(COLUMNS)


def without_version_column(text: str) -> list[list[str]]:
    """The rows as a CSV carries them: without the version number (an import makes version 1),
    each cell trimmed of surrounding spaces and line breaks (an import trims them)."""
    rows = list(csv.reader(io.StringIO(text)))
    return [[cell.strip() for cell in row[:1] + row[2:]] for row in rows]


def test_export_writes_one_row_per_indicator_of_the_published_version():
    framework = import_document(small_document(), OrganisationFactory())
    rows = list(csv.DictReader(io.StringIO(export_csv(framework))))
    assert [(r["attribute_key"], r["tier_key"], r["tier_rank"], r["kind"], r["text"]) for r in rows] == [
        ("agile", "aspiring", "1", "positive", "Adapts plans."),
        ("agile", "core", "2", "negative", "Clings on."),
        ("agile", "core", "2", "positive", "Changes course."),
        ("collaborative", "aspiring", "1", "positive", "Shares."),
        ("collaborative", "core", "2", "positive", "Builds teams."),
    ]
    assert {r["version"] for r in rows} == {"1"} and {r["framework"] for r in rows} == {"Officers' framework"}


@settings(max_examples=20)
@given(document=framework_documents())
def test_csv_round_trip_keeps_everything_a_csv_carries(document):
    framework = import_document(document, OrganisationFactory())
    text = export_csv(framework)
    organisation = OrganisationFactory()
    plan = plan_import(data=text.encode(), filename="framework.csv", organisation=organisation)
    if text.count("\n") == 1:  # no indicators at all: nothing for a CSV to carry
        assert not plan.ok
        return
    assert plan.ok, [str(p) for p in plan.problems]
    again = framework_import(plan=plan, organisation=organisation, actor=None)
    version = again.versions.get()
    assert version.status == FrameworkVersion.Status.DRAFT and version.number == 1
    assert without_version_column(export_csv(again)) == without_version_column(text)


def test_import_makes_a_single_draft_and_generates_missing_indicator_keys():
    data = (
        b"Framework,Attribute key,Attribute name,Attribute statement,Tier key,Tier name,Tier rank,Kind,Text\n"
        b"Members,listens,Listens,I listen.,new,New councillor,1,,Holds surgeries.\n"
        b"Members,listens,Listens,I listen.,new,New councillor,1,negative,Talks over residents.\n"
        b"Members,leads,Leads,I lead.,cabinet,Cabinet member,2,positive,Sets direction.\n"
    )
    org = OrganisationFactory()
    plan = plan_import(data=data, filename="members.csv", organisation=org)
    assert plan.ok, plan.problems
    assert plan.summary_line() == "attributes=2 tiers=2 indicators=3 skipped=0"
    framework = framework_import(plan=plan, organisation=org, actor=None)
    version = framework.versions.get()
    assert framework.name == "Members" and framework.slug == "members"
    assert sorted(version.indicators.values_list("key", flat=True)) == [
        "leads-cabinet-1",
        "listens-new-1",
        "listens-new-2",
    ]
    assert set(version.tiers.values_list("organisation_id", flat=True)) == {org.pk}


def test_every_problem_is_named_by_row_and_column():
    data = (
        f"{HEADING}\n"
        "Officers,1,agile,Agile,I adapt.,core,Core manager,1,positive,a-1,Adapts.\n"
        "Officers,1,agile,Nimble,I adapt.,core,Core manager,1,sideways,a-1,Adapts again.\n"
        "Officers,1,Bad Key,Bad,,senior,Core manager,two,positive,,\n"
        "Members,1,leads,Leads,,core,Core manager,1,positive,,Leads.\n"
    ).encode()
    plan = plan_import(data=data, filename="f.csv", organisation=OrganisationFactory())
    messages = [str(p) for p in plan.problems]
    assert (
        "row 3, column attribute_name: Attribute ‘agile’ has a different name or statement here than in row 2."
        in messages
    )
    assert "row 3, column kind: ‘sideways’ is not a kind: use positive or negative." in messages
    assert "row 3, column indicator_key: Indicator key ‘a-1’ is also used in row 2." in messages
    assert (
        "row 4, column attribute_key: ‘Bad Key’ is not a key: use lower-case letters, numbers and hyphens." in messages
    )
    assert "row 4, column tier_rank: ‘two’ is not a rank: use a whole number from 1." in messages
    assert "row 4, column text: is blank. It is required." in messages
    assert any("more than one framework" in m for m in messages)
    assert plan.document is None


def test_a_csv_without_the_required_columns_is_refused():
    plan = plan_import(data=b"name,grade\nAgile,G9\n", filename="f.csv", organisation=OrganisationFactory())
    assert len(plan.problems) == 1
    assert plan.problems[0].message.startswith("The file has no framework, attribute_key, attribute_name, tier_key")


def test_the_same_csv_again_becomes_the_next_draft_once_the_first_is_published():
    org = OrganisationFactory()
    data = f"{HEADING}\nOfficers,1,agile,Agile,,core,Core,1,positive,a-1,Adapts.\n".encode()
    framework = framework_import(
        plan=plan_import(data=data, filename="f.csv", organisation=org), organisation=org, actor=None
    )
    again = plan_import(data=data, filename="f.csv", organisation=org)
    assert "already has a draft, version 1" in str(again.problems[0])
    framework.versions.update(status="published")
    again = plan_import(data=data, filename="f.csv", organisation=org)
    assert framework_import(plan=again, organisation=org, actor=None) == framework
    assert list(org.frameworks.values_list("slug", flat=True)) == ["officers"]
    assert list(framework.versions.order_by("number").values_list("number", "status")) == [
        (1, "published"),
        (2, "draft"),
    ]
