"""Cadre's own framework format: export, the importer's plan (every problem named with where it
is), all-or-nothing writes, and the lossless round trip proven with generated frameworks."""

import copy
import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cadre.core.errors import ValidationError
from cadre.frameworks.interchange import dump, export_framework, framework_import, plan_import
from cadre.frameworks.interchange.cadre_format import FORMAT
from cadre.frameworks.interchange.common import MAX_BYTES
from cadre.frameworks.models import Framework, FrameworkVersion, Tier
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
# Text as people write it: letters, numbers, punctuation, spaces and line breaks, no control characters.
TEXT = st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"], exclude_characters="\x85\xa0\u2028\u2029"))
LINE = (
    st.text(alphabet=st.characters(categories=["L", "N", "P"], exclude_characters="\x85"), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
PARAGRAPH = st.lists(TEXT.map(str.strip), max_size=3).map("\n".join)
KEY = st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4})?", fullmatch=True)


@st.composite
def version_content(draw, *, previous_keys: list[str] | None, csv_safe: bool = False):
    keys = draw(st.lists(KEY, min_size=1, max_size=4, unique=True))
    names = draw(st.lists(LINE, min_size=len(keys), max_size=len(keys), unique=True))
    words = LINE if csv_safe else PARAGRAPH
    attributes = [
        {
            "key": k,
            "name": n,
            "statement": draw(words),
            "status": draw(st.sampled_from(["current", "in_development"])),
            "focus": draw(st.booleans()),
            "diversity_and_inclusion": draw(PARAGRAPH),
        }
        for k, n in zip(keys, names, strict=True)
    ]
    tier_keys = draw(st.lists(KEY, min_size=1, max_size=3, unique=True))
    tier_names = draw(st.lists(LINE, min_size=len(tier_keys), max_size=len(tier_keys), unique=True))
    ranks = draw(st.permutations(range(1, len(tier_keys) + 1)))
    tiers = [
        {
            "key": k,
            "name": n,
            "rank": r,
            "audience": draw(LINE | st.just("")),
            "description": draw(PARAGRAPH),
            "grades": sorted(
                draw(st.lists(st.from_regex(r"[A-Z]{1,2}[0-9]{1,2}", fullmatch=True), max_size=3, unique=True))
            ),
        }
        for k, n, r in zip(tier_keys, tier_names, ranks, strict=True)
    ]
    seen_grades: set = set()
    for tier in tiers:  # a grade puts a person in one tier, so it appears once in a version
        tier["grades"] = [g for g in tier["grades"] if not (g in seen_grades or seen_grades.add(g))]
    cells = [(a, t) for a in keys for t in tier_keys]
    chosen = draw(st.lists(st.sampled_from(cells), max_size=8))
    indicators = [
        {
            "key": f"ind-{n}",
            "attribute": a,
            "tier": t,
            "kind": draw(st.sampled_from(["positive", "negative"])),
            "text": draw(LINE if csv_safe else PARAGRAPH.filter(lambda s: s.strip())),
        }
        for n, (a, t) in enumerate(chosen)
    ]
    value_keys = draw(st.lists(KEY, max_size=3, unique=True))
    values = [
        {
            "key": k,
            "name": draw(LINE),
            "description": draw(PARAGRAPH),
            "attributes": draw(st.lists(st.sampled_from(keys), unique=True)),
        }
        for k in value_keys
    ]
    channels = [
        {
            "kind": draw(st.sampled_from(["narrative", "mechanisms", "professional_development"])),
            "name": name,
            "description": draw(PARAGRAPH),
        }
        for name in draw(st.lists(LINE, max_size=3))
    ]
    definitions = [{"term": term, "meaning": draw(LINE)} for term in draw(st.lists(LINE, max_size=3, unique=True))]
    mappings = []
    if previous_keys:
        pairs = draw(
            st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(previous_keys)), unique=True, max_size=4)
        )
        mappings = [
            {"attribute": a, "previous": p, "relation": draw(st.sampled_from(["same", "renamed", "split", "merged"]))}
            for a, p in pairs
        ]
    return {
        "change_note": draw(PARAGRAPH),
        "attributes": attributes,
        "tiers": tiers,
        "indicators": indicators,
        "values": values,
        "channels": channels,
        "definitions": definitions,
        "attribute_mappings": mappings,
    }


def publishable(content: dict) -> dict:
    """What a published version needs, as Cadre's publishing asks: a statement for every attribute
    and, for every current one, an indicator of what it looks like at every tier."""
    for attribute in content["attributes"]:
        if not attribute["statement"].strip():
            attribute["statement"] = "I do this."
    covered = {(i["attribute"], i["tier"]) for i in content["indicators"] if i["kind"] == "positive"}
    for attribute in content["attributes"]:
        if attribute["status"] != "current":
            continue
        for tier in content["tiers"]:
            if (attribute["key"], tier["key"]) not in covered:
                content["indicators"].append(
                    {
                        "key": f"fill-{len(content['indicators'])}",
                        "attribute": attribute["key"],
                        "tier": tier["key"],
                        "kind": "positive",
                        "text": "Does it.",
                    }
                )
    return content


@st.composite
def framework_documents(draw):
    count = draw(st.integers(min_value=1, max_value=3))
    if count == 1:
        statuses = [draw(st.sampled_from(["draft", "published"]))]
    else:
        tail = draw(st.sampled_from([("archived", "published"), ("published", "draft"), ("archived", "draft")]))
        statuses = ["archived"] * (count - 2) + list(tail)
    versions, previous_keys = [], None
    for number, status in enumerate(statuses, start=1):
        content = draw(version_content(previous_keys=previous_keys))
        if status != "draft":
            content = publishable(content)
        versions.append({"number": number, "status": status, "previous": number - 1 or None, **content})
        previous_keys = [a["key"] for a in content["attributes"]]
    details = st.fixed_dictionaries(
        {
            "name": LINE,
            "audience": LINE | st.just(""),
            "description": PARAGRAPH,
            "role_types": st.lists(
                st.sampled_from(["officer", "elected_member", "partner_staff"]), unique=True, max_size=2
            ),
        }
    )
    own = draw(details)
    for version in versions:
        # A version may have details of its own (a draft that renames the framework, say); the
        # file carries them only when they differ from the framework's.
        theirs = draw(st.none() | details)
        if theirs is not None and theirs != own:
            version.update(theirs)
    return {"format": FORMAT, "framework": {"slug": draw(KEY), **own, "sharing": "organisation"}, "versions": versions}


# --- helpers -----------------------------------------------------------------------------------


def small_document() -> dict:
    return {
        "format": FORMAT,
        "framework": {"slug": "officers", "name": "Officers' framework", "role_types": ["officer"]},
        "versions": [
            {
                "number": 1,
                "status": "published",
                "attributes": [
                    {"key": "agile", "name": "Agile", "statement": "I adapt.", "focus": True},
                    {"key": "collaborative", "name": "Collaborative", "statement": "I work with others."},
                ],
                "tiers": [
                    {"key": "aspiring", "name": "Aspiring manager", "rank": 1, "grades": ["G9", "G10"]},
                    {"key": "core", "name": "Core manager", "rank": 2},
                ],
                "indicators": [
                    {"key": "agile-1", "attribute": "agile", "tier": "aspiring", "text": "Adapts plans."},
                    {"key": "agile-2", "attribute": "agile", "tier": "core", "kind": "negative", "text": "Clings on."},
                    {"key": "agile-3", "attribute": "agile", "tier": "core", "text": "Changes course."},
                    {"key": "collab-1", "attribute": "collaborative", "tier": "aspiring", "text": "Shares."},
                    {"key": "collab-2", "attribute": "collaborative", "tier": "core", "text": "Builds teams."},
                ],
                "values": [{"key": "together", "name": "Together", "attributes": ["agile", "collaborative"]}],
                "channels": [{"kind": "mechanisms", "name": "Annual reviews"}],
                "definitions": [{"term": "Tier", "meaning": "A rung of development."}],
            },
            {
                "number": 2,
                "status": "draft",
                "attributes": [{"key": "adaptable", "name": "Adaptable", "statement": "I adapt well."}],
                "tiers": [{"key": "core", "name": "Core manager", "rank": 1}],
                "attribute_mappings": [{"attribute": "adaptable", "previous": "agile", "relation": "renamed"}],
            },
        ],
    }


def as_bytes(document, *, as_json=False) -> bytes:
    return (json.dumps(document) if as_json else yaml.safe_dump(document, allow_unicode=True)).encode()


def problems_of(document, organisation=None) -> list[str]:
    plan = plan_import(data=as_bytes(document), filename="f.yaml", organisation=organisation or OrganisationFactory())
    assert not plan.ok
    return [str(p) for p in plan.problems]


def import_document(document, organisation):
    plan = plan_import(data=dump(document).encode(), filename="framework.yaml", organisation=organisation)
    assert plan.ok, [str(p) for p in plan.problems]
    return framework_import(plan=plan, organisation=organisation, actor=None)


# --- round trip --------------------------------------------------------------------------------


@settings(max_examples=25)
@given(document=framework_documents(), as_json=st.booleans())
def test_export_then_import_gives_an_identical_framework(document, as_json):
    original = import_document(document, OrganisationFactory())
    exported = export_framework(original)
    # Lists come back in the framework's own order (indicators by attribute, tier rank and kind),
    # so compare what each version holds, then the second round trip exactly.
    for given_version, version in zip(document["versions"], exported["versions"], strict=True):
        for part in ("attributes", "tiers", "channels", "definitions"):
            assert version[part] == given_version[part]
        for part in ("indicators", "attribute_mappings"):
            assert sorted(map(repr, version[part])) == sorted(map(repr, given_version[part]))
    organisation = OrganisationFactory()
    plan = plan_import(
        data=dump(exported, as_json=as_json).encode(),
        filename="x.json" if as_json else "x.yaml",
        organisation=organisation,
    )
    assert plan.ok, [str(p) for p in plan.problems]
    again = framework_import(plan=plan, organisation=organisation, actor=None)
    assert export_framework(again) == exported
    for version in again.versions.all():
        assert set(Tier.objects.filter(version=version).values_list("organisation_id", flat=True)) <= {organisation.pk}


def test_a_published_version_is_created_published_and_the_draft_follows_it():
    org = OrganisationFactory()
    framework = import_document(small_document(), org)
    first, second = framework.versions.order_by("number")
    assert first.status == FrameworkVersion.Status.PUBLISHED and first.published_at is not None
    assert second.status == FrameworkVersion.Status.DRAFT and second.previous == first
    assert framework.owner_organisation == org and framework.sharing == Framework.Sharing.ORGANISATION
    assert list(first.tiers.get(key="aspiring").grade_mappings.values_list("grade", flat=True)) == [
        "G9",
        "G10",
    ]  # in the order the file gives them
    mapping = second.attribute_mappings.get()
    assert (mapping.previous_attribute.key, mapping.attribute.key, mapping.relation) == (
        "agile",
        "adaptable",
        "renamed",
    )


def test_json_and_yaml_read_the_same():
    org = OrganisationFactory()
    from_yaml = plan_import(data=as_bytes(small_document()), filename="a.yaml", organisation=org)
    from_json = plan_import(data=as_bytes(small_document(), as_json=True), filename="a.json", organisation=org)
    assert from_yaml.ok and from_json.ok
    assert from_yaml.document == from_json.document
    assert from_json.format == "cadre"
    assert from_json.summary_line() == "attributes=1 tiers=1 indicators=0 skipped=0"


# --- bad input ---------------------------------------------------------------------------------


def test_unknown_references_are_each_named_with_where_they_are():
    document = small_document()
    v1 = document["versions"][0]
    v1["indicators"].append({"key": "x-1", "attribute": "courageous", "tier": "senior", "text": "Speaks up."})
    v1["values"][0]["attributes"].append("innovative")
    messages = problems_of(document)
    assert (
        "versions[0].indicators[5].attribute: names attribute ‘courageous’, which this version does not have."
        in messages
    )
    assert "versions[0].indicators[5].tier: names tier ‘senior’, which this version does not have." in messages
    assert (
        "versions[0].values[0].attributes[2]: names attribute ‘innovative’, which this version does not have."
        in messages
    )


def test_duplicate_keys_are_refused():
    document = small_document()
    v1 = document["versions"][0]
    v1["attributes"].append({"key": "agile", "name": "Agile again"})
    v1["tiers"].append({"key": "senior", "name": "Senior leader", "rank": 2})
    v1["indicators"].append({"key": "agile-1", "attribute": "agile", "tier": "core", "text": "Again."})
    messages = problems_of(document)
    assert (
        "versions[0].attributes[2].key: Attribute key ‘agile’ is used twice (first at versions[0].attributes[0].key)."
        in messages
    )
    assert "versions[0].tiers[2].rank: Rank ‘2’ is used twice (first at versions[0].tiers[1].rank)." in messages
    assert any(m.startswith("versions[0].indicators[5].key: Indicator key ‘agile-1’ is used twice") for m in messages)


def test_a_mapping_to_an_attribute_the_previous_version_does_not_have_is_refused():
    document = small_document()
    document["versions"][1]["attribute_mappings"].append({"attribute": "adaptable", "previous": "courageous"})
    document["versions"][1]["attribute_mappings"].append({"attribute": "visionary", "previous": "agile"})
    messages = problems_of(document)
    assert (
        "versions[1].attribute_mappings[1].previous: names attribute ‘courageous’, which version 1 does not have."
        in messages
    )
    assert (
        "versions[1].attribute_mappings[2].attribute: names attribute ‘visionary’, which version 2 does not have."
        in messages
    )


def test_a_first_version_with_mappings_has_nothing_to_map_to():
    document = small_document()
    document["versions"][0]["attribute_mappings"] = [{"attribute": "agile", "previous": "agile"}]
    assert (
        "versions[0].attribute_mappings[0].previous: Version 1 has no previous version to map ‘agile’ to."
        in problems_of(document)
    )


def test_missing_required_fields_and_bad_choices_are_named():
    document = small_document()
    del document["framework"]["name"]
    v1 = document["versions"][0]
    del v1["attributes"][0]["name"]
    v1["attributes"][1]["status"] = "retired"
    v1["tiers"][0]["rank"] = "first"
    v1["indicators"][0]["kind"] = "neutral"
    v1["channels"][0]["kind"] = "posters"
    v1["status"] = "live"
    messages = problems_of(document)
    assert "framework.name: is missing. It is required." in messages
    assert "versions[0].attributes[0].name: is missing. It is required." in messages
    assert (
        "versions[0].attributes[1].status: ‘retired’ is not a attribute status: use one of current, in_development."
        in messages
    )
    assert "versions[0].tiers[0].rank: must be a whole number, not str." in messages
    assert "versions[0].indicators[0].kind: ‘neutral’ is not a kind: use one of positive, negative." in messages
    assert any(m.startswith("versions[0].channels[0].kind: ‘posters’ is not a channel kind") for m in messages)
    assert any(m.startswith("versions[0].status: ‘live’ is not a version status") for m in messages)


def test_a_circle_of_previous_versions_is_refused():
    document = small_document()
    document["versions"][0]["previous"] = 2
    document["versions"][1]["previous"] = 1
    messages = problems_of(document)
    assert "versions: The versions' previous versions go round in a circle: 1 → 2 → 1." in messages


def test_a_previous_version_not_in_the_file_and_two_drafts_are_refused():
    document = small_document()
    document["versions"][0]["status"] = "draft"
    document["versions"][1]["previous"] = 7
    messages = problems_of(document)
    assert "versions[1].previous: names version 7, which is not in the file." in messages
    assert "versions: A framework has one draft version at most; versions 1, 2 are all draft." in messages


def test_a_file_over_five_megabytes_is_refused():
    data = b"# " + b"x" * MAX_BYTES + b"\n"
    plan = plan_import(data=data, filename="big.yaml", organisation=OrganisationFactory())
    assert [p.message for p in plan.problems] == [
        "The file is 5.0 MB. The largest framework file Cadre imports is 5 MB."
    ]


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b"format: [unclosed\n", "The file is not valid YAML or JSON"),
        (b'{"format": "cadre-framework/1",', "The file is not valid JSON"),
        (b"\xff\xfe\x00a", "The file is not a text file"),
        (b"a: &x [1]\nb: *x\n", "The file is not valid YAML or JSON: found an alias"),
        (b"just some words\n", "the file: must be a mapping"),
        (b"", "The file is empty."),
    ],
)
def test_a_file_that_is_not_yaml_or_json_is_refused(data, start):
    plan = plan_import(data=data, filename="f.yaml", organisation=OrganisationFactory())
    assert not plan.ok
    assert str(plan.problems[0]).startswith(start)


def test_a_file_for_a_framework_that_has_a_draft_is_refused_and_nothing_is_written():
    org = OrganisationFactory()
    import_document(small_document(), org)
    before = FrameworkVersion.objects.count()
    plan = plan_import(data=as_bytes(small_document()), filename="a.yaml", organisation=org)
    assert [str(p) for p in plan.problems] == [
        "Officers' framework already exists here and already has a draft, version 2. "
        "Publish that draft first, then import the file again to make it the next version."
    ]
    with pytest.raises(ValidationError):
        framework_import(plan=plan, organisation=org, actor=None)
    assert FrameworkVersion.objects.count() == before


def test_a_file_for_a_framework_that_exists_becomes_its_next_draft():
    org = OrganisationFactory()
    existing = import_document(small_document(), org)
    existing.versions.filter(number=2).delete()
    document = small_document()
    document["framework"]["slug"] = "another-slug"  # found by its name
    document["framework"]["name"] = "OFFICERS' FRAMEWORK"
    plan = plan_import(data=as_bytes(document), filename="a.yaml", organisation=org)
    assert plan.ok and plan.into == existing and plan.into_number == 2
    assert plan.notes == [
        "Officers' framework already exists here, so the file becomes its next version: a draft, version 2, for "
        "you to check and publish. The versions already published do not change.",
        "The file holds 2 versions; only the latest, version 2, is imported.",
    ]
    assert framework_import(plan=plan, organisation=org, actor=None) == existing
    assert Framework.objects.count() == 1
    draft = existing.versions.get(number=2)
    published = existing.versions.get(number=1)
    assert draft.status == FrameworkVersion.Status.DRAFT and draft.previous == published
    assert draft.name == "OFFICERS' FRAMEWORK"
    assert published.status == FrameworkVersion.Status.PUBLISHED
    latest = document["versions"][-1]
    assert [a.key for a in draft.attributes.all()] == [a["key"] for a in latest["attributes"]]
    kept = {a["key"] for a in latest["attributes"]} & set(published.attributes.values_list("key", flat=True))
    assert set(draft.attribute_mappings.values_list("previous_attribute__key", flat=True)) == kept


def test_nothing_is_written_when_saving_fails_part_way():
    org = OrganisationFactory()
    plan = plan_import(data=as_bytes(small_document()), filename="a.yaml", organisation=org)
    broken = copy.deepcopy(plan)
    broken.document["versions"][1]["tiers"][0]["name"] = "x" * 500  # slips past the plan; the database refuses
    from django.db import connection

    if connection.vendor == "sqlite":  # SQLite does not enforce lengths: break a unique constraint instead
        broken.document["versions"][1]["tiers"].append({"key": "core", "name": "Other", "rank": 2})
    with pytest.raises(ValidationError, match="could not be saved"):
        framework_import(plan=broken, organisation=org, actor=None)
    assert not Framework.objects.filter(owner_organisation=org).exists()
    assert not FrameworkVersion.objects.filter(framework__owner_organisation=org).exists()


def test_a_published_version_must_be_complete_and_grades_belong_to_one_tier():
    document = small_document()
    v1 = document["versions"][0]
    v1["indicators"] = [i for i in v1["indicators"] if i["key"] != "collab-2"]
    v1["attributes"][1]["statement"] = ""
    v1["tiers"][1]["grades"] = ["G9"]
    v1["values"][0]["attributes"].append(["not", "a", "key"])
    messages = problems_of(document)
    assert any("Collaborative has no indicator of what it looks like for: Core manager" in m for m in messages)
    assert (
        "versions[0].attributes[1].statement: Collaborative has no statement, which a published version needs."
        in messages
    )
    assert any(m.startswith("versions[0].tiers[1].grades[0]: Grade ‘G9’ is used twice") for m in messages)
    assert "versions[0].values[0].attributes[2]: must be an attribute key." in messages
    document["versions"][0]["status"] = "draft"
    document["versions"][1]["status"] = "archived"
    assert not any("no indicator" in m for m in problems_of(document) if m.startswith("versions[0]"))


def test_importing_a_published_framework_places_people_by_grade():
    from cadre.people.models import Person
    from tests.factories import PersonFactory

    organisation = OrganisationFactory()
    person = PersonFactory(organisation=organisation, grade="G9")
    import_document(small_document(), organisation)
    person = Person.objects.get(pk=person.pk)
    assert person.tier is not None and person.tier.key == "aspiring"
