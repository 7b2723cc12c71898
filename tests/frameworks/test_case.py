"""1EdTech CASE 1.0 packages: Cadre's export validates against the vendored schema and re-imports
to the same attributes, tiers and indicators; packages in the shapes other tools write import with
a report of how each item was mapped; malformed packages are refused naming the JSON path."""

import copy
import json
import uuid

import pytest
from hypothesis import given, settings

from cadre.frameworks.interchange import export_case, framework_import, plan_import
from cadre.frameworks.interchange.case import SCHEMA_PATH, schema_problems
from tests.factories import OrganisationFactory
from tests.frameworks.test_cadre_format import framework_documents, import_document, small_document

pytestmark = pytest.mark.django_db

WHEN = "2024-05-01T09:00:00+00:00"


def ident(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, name))


def link(name: str, title: str = "") -> dict:
    return {"title": title or name, "identifier": ident(name), "uri": f"https://case.example.org/uri/{ident(name)}"}


def item(name: str, text: str, **extra) -> dict:
    return {
        "identifier": ident(name),
        "uri": f"https://case.example.org/uri/{ident(name)}",
        "fullStatement": text,
        "lastChangeDateTime": WHEN,
        "CFDocumentURI": link("doc", "Council competencies"),
        **extra,
    }


def association(origin: str, kind: str, destination: str, sequence: int | None = None) -> dict:
    entry = {
        "identifier": ident(f"{origin}-{kind}-{destination}"),
        "uri": f"https://case.example.org/uri/{ident(f'{origin}-{kind}-{destination}')}",
        "associationType": kind,
        "originNodeURI": link(origin),
        "destinationNodeURI": link(destination),
        "lastChangeDateTime": WHEN,
    }
    if sequence is not None:
        entry["sequenceNumber"] = sequence
    return entry


def package(items, associations, definitions=None) -> dict:
    result = {
        "CFDocument": {
            "identifier": ident("doc"),
            "uri": f"https://case.example.org/uri/{ident('doc')}",
            "creator": "Regional employers' organisation",
            "title": "Council competencies",
            "lastChangeDateTime": WHEN,
        },
        "CFItems": items,
        "CFAssociations": associations,
    }
    if definitions is not None:
        result["CFDefinitions"] = definitions
    return result


def plan_for(pkg, organisation=None):
    return plan_import(
        data=json.dumps(pkg).encode(), filename="package.json", organisation=organisation or OrganisationFactory()
    )


def cells(version) -> list:
    return sorted(
        (
            i.attribute.key,
            i.attribute.name,
            i.attribute.statement,
            i.tier.key,
            i.tier.name,
            i.tier.rank,
            i.kind,
            i.key,
            i.text,
        )
        for i in version.indicators.select_related("attribute", "tier")
    )


def test_the_vendored_schema_is_the_case_1_0_package_schema():
    schema = json.loads(SCHEMA_PATH.read_text())
    assert schema["required"] == ["CFDocument"]
    assert "hasSkillLevel" in schema["definitions"]["CFPackageAssociation"]["properties"]["associationType"]["enum"]
    assert (SCHEMA_PATH.parent / "README.md").read_text().count("opensalt") >= 1


def test_cadre_export_is_a_valid_case_package_with_item_types():
    framework = import_document(small_document(), OrganisationFactory())
    pkg = export_case(framework)
    assert schema_problems(pkg) == []
    titles = {t["title"] for t in pkg["CFDefinitions"]["CFItemTypes"]}
    assert titles == {"Attribute", "Tier", "Behaviour indicator", "Negative behaviour indicator"}
    kinds = sorted(a["associationType"] for a in pkg["CFAssociations"])
    assert kinds.count("isChildOf") == 2 + 2 + 5 and kinds.count("hasSkillLevel") == 5


@settings(max_examples=20)
@given(document=framework_documents())
def test_a_cadre_case_export_reimports_to_the_same_attributes_tiers_and_indicators(document):
    framework = import_document(document, OrganisationFactory())
    pkg = export_case(framework)
    assert schema_problems(pkg) == []
    organisation = OrganisationFactory()
    plan = plan_for(pkg, organisation)
    assert plan.ok, [str(p) for p in plan.problems]
    assert plan.skipped == []
    again = framework_import(plan=plan, organisation=organisation, actor=None)
    source = framework.versions.get(number=int(pkg["CFDocument"]["version"]))
    copy_ = again.versions.get()
    assert list(copy_.attributes.values_list("key", "name", "statement")) == list(
        source.attributes.order_by("order", "id").values_list("key", "name", "statement")
    )
    assert list(copy_.tiers.values_list("key", "name", "rank", "description")) == list(
        source.tiers.order_by("rank").values_list("key", "name", "rank", "description")
    )
    assert cells(copy_) == cells(source)
    assert export_case(again)["CFItems"].__len__() == len(pkg["CFItems"])


def test_a_flat_package_with_is_child_of_only_and_no_tiers():
    items = [
        item("a", "Working together", humanCodingScheme="WT"),
        item("a1", "Shares information with colleagues"),
        item("a2", "Builds partnerships"),
        item("b", "Delivering results"),
        item("b1", "Meets deadlines"),
    ]
    associations = [
        association("a", "isChildOf", "doc", 1),
        association("b", "isChildOf", "doc", 2),
        association("a2", "isChildOf", "a", 2),
        association("a1", "isChildOf", "a", 1),
        association("b1", "isChildOf", "b", 1),
    ]
    plan = plan_for(package(items, associations))
    assert plan.ok, plan.problems
    assert plan.summary_line() == "attributes=2 tiers=1 indicators=3 skipped=0"
    version = plan.document["versions"][0]
    assert [a["name"] for a in version["attributes"]] == ["Working together", "Delivering results"]
    assert version["tiers"] == [{"key": "council-competencies", "name": "Council competencies", "rank": 1}]
    assert [i["text"] for i in version["indicators"]] == [
        "Shares information with colleagues",
        "Builds partnerships",
        "Meets deadlines",
    ]
    by_id = {m.identifier: m for m in plan.mapped}
    assert by_id[ident("a")].became == "attribute ‘Working together’"
    assert by_id[ident("a")].why == "it is a top-level item"
    assert "one tier named for the document" in by_id[ident("a1")].why


def test_a_package_nested_three_levels_maps_every_descendant_to_its_attribute():
    items = [item("d", "Leadership"), item("c", "Leading people"), item("s", "Gives clear feedback")]
    associations = [
        association("d", "isChildOf", "doc"),
        association("c", "isChildOf", "d"),
        association("s", "isChildOf", "c"),
    ]
    plan = plan_for(package(items, associations))
    assert plan.ok, plan.problems
    version = plan.document["versions"][0]
    assert [a["name"] for a in version["attributes"]] == ["Leadership"]
    assert [(i["attribute"], i["text"]) for i in version["indicators"]] == [
        ("leadership", "Leading people"),
        ("leadership", "Gives clear feedback"),
    ]
    assert next(m.why for m in plan.mapped if m.identifier == ident("s")).startswith(
        "it sits 2 levels under attribute ‘leadership’"
    )


def test_item_types_and_definitions_decide_tiers_and_what_is_skipped():
    definitions = {
        "CFItemTypes": [
            {
                "identifier": ident("t-comp"),
                "uri": "https://case.example.org/t/comp",
                "title": "Competency",
                "hierarchyCode": "1",
                "lastChangeDateTime": WHEN,
            },
            {
                "identifier": ident("t-level"),
                "uri": "https://case.example.org/t/level",
                "title": "Level",
                "hierarchyCode": "2",
                "lastChangeDateTime": WHEN,
                "typeCode": None,
            },
            {
                "identifier": ident("t-ind"),
                "uri": "https://case.example.org/t/ind",
                "title": "Indicator",
                "hierarchyCode": "3",
                "lastChangeDateTime": WHEN,
            },
        ],
        "CFSubjects": [
            {
                "identifier": ident("subj"),
                "uri": "https://case.example.org/s",
                "title": "Leadership",
                "hierarchyCode": "1",
                "lastChangeDateTime": WHEN,
            }
        ],
    }

    def typed(name, text, kind, **extra):
        return item(name, text, CFItemTypeURI=link(f"t-{kind}", kind), **extra)

    items = [
        typed("comp", "Communicates", "comp"),
        typed("l1", "Foundation", "level", listEnumeration="1"),
        typed("l2", "Advanced", "level", listEnumeration="2"),
        typed("i1", "Explains decisions plainly", "ind"),
        typed("i2", "Chairs difficult meetings", "ind"),
        typed("i3", "Writes well", "ind"),  # linked to no tier
        typed("stray", "An indicator on its own", "ind"),  # no attribute above it
    ]
    associations = [
        association("comp", "isChildOf", "doc"),
        association("l1", "isChildOf", "doc"),
        association("l2", "isChildOf", "doc"),
        association("i1", "isChildOf", "comp", 1),
        association("i2", "isChildOf", "comp", 2),
        association("i3", "isChildOf", "comp", 3),
        association("i1", "hasSkillLevel", "l1"),
        association("i2", "isRelatedTo", "l2"),
        association("stray", "isChildOf", "doc"),
    ]
    plan = plan_for(package(items, associations, definitions))
    assert plan.ok, plan.problems
    assert plan.summary_line() == "attributes=1 tiers=2 indicators=2 skipped=2"
    version = plan.document["versions"][0]
    assert [(t["name"], t["rank"]) for t in version["tiers"]] == [("Foundation", 1), ("Advanced", 2)]
    assert [(i["text"], i["tier"]) for i in version["indicators"]] == [
        ("Explains decisions plainly", "foundation"),
        ("Chairs difficult meetings", "advanced"),
    ]
    skipped = {s.identifier: s.reason for s in plan.skipped}
    assert skipped == {
        ident("i3"): "it is linked (hasSkillLevel or isRelatedTo) to no tier",
        ident("stray"): "it is an indicator with no attribute above it",
    }
    assert {m.identifier: m.why for m in plan.mapped}[ident("l1")] == "its item type is a tier"


def test_schema_errors_name_the_json_path():
    pkg = package([item("a", "Working together")], [association("a", "isChildOf", "doc")])
    broken = copy.deepcopy(pkg)
    broken["CFItems"][0]["identifier"] = "not-a-uuid"
    del broken["CFItems"][0]["fullStatement"]
    broken["CFAssociations"][0]["associationType"] = "isParentOf"
    broken["CFDocument"]["lastChangeDateTime"] = "yesterday"
    plan = plan_for(broken)
    fields = {p.field for p in plan.problems}
    assert {
        "CFItems[0].identifier",
        "CFItems[0]",
        "CFAssociations[0].associationType",
        "CFDocument.lastChangeDateTime",
    } <= fields
    messages = {p.field: p.message for p in plan.problems}
    assert messages["CFItems[0]"] == "‘fullStatement’ is missing. A CASE 1.0 package must have it here."
    assert messages["CFItems[0].identifier"] == (
        '"not-a-uuid" is not an identifier of the form CASE 1.0 uses (a UUID such as '
        "3f2504e0-4f89-41d3-9a0c-0305e82c3301)."
    )
    assert messages["CFAssociations[0].associationType"] == (
        '"isParentOf" is not one of the values CASE 1.0 allows here.'
    )
    assert messages["CFDocument.lastChangeDateTime"] == (
        '"yesterday" is not a date and time such as 2026-11-23T09:30:00+00:00.'
    )
    broken["CFDocument"]["title"] = 7
    assert "is 7, but CASE 1.0 asks for text here." in [p.message for p in plan_for(broken).problems]
    assert plan.document is None


def test_unknown_references_duplicates_and_cycles_are_refused():
    items = [item("a", "A"), item("b", "B"), item("c", "C"), item("a", "A again")]
    associations = [
        association("b", "isChildOf", "c"),
        association("c", "isChildOf", "b"),
        association("a", "isChildOf", "nowhere"),
        association("ghost", "isChildOf", "a"),
    ]
    messages = [str(p) for p in plan_for(package(items, associations)).problems]
    assert f"CFItems[3].identifier: The item identifier {ident('a')} is used twice." in messages
    assert any(m.startswith("CFAssociations[2].destinationNodeURI: isChildOf names the parent") for m in messages)
    assert any(m.startswith("CFAssociations[3].originNodeURI: isChildOf names the item") for m in messages)
    assert any("go round in a circle" in m for m in messages)


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b'{"CFDocument": {', "The file is not valid JSON"),
        (b'["CFDocument"]', "the package: "),
    ],
)
def test_malformed_case_json_is_refused(data, start):
    plan = plan_import(data=data, filename="p.json", format="case", organisation=OrganisationFactory())
    assert not plan.ok
    assert str(plan.problems[0]).startswith(start)
