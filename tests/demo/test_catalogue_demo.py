"""The demo borough's catalogue: big enough to browse, every kind of offering, properly tagged,
findable by search, partly shared with partners, with real gaps in coverage, and loaded once."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from cadre.catalogue.models import Offering
from cadre.catalogue.search import words
from cadre.catalogue.selectors import Filters, catalogue_search, coverage, offerings_visible_to
from cadre.core.models import AuditEntry, Membership, Organisation, Role
from cadre.demo import services
from cadre.demo.catalogue import OFFERINGS, demo_catalogue_load
from cadre.demo.data import BOROUGH, TRUST
from cadre.demo.services import demo_load
from cadre.frameworks.models import FrameworkVersion

SEEDS = Path("/work/shared/seeds")
OFFICER_ATTRIBUTES = [
    "strategic",
    "agile",
    "collaborative",
    "accountable",
    "innovative",
    "compassionate",
    "change-agent",
    "commercial",
]
OFFICER_TIERS = ["aspiring-manager", "core-manager", "developing-manager", "aspiring-leader", "senior-leader"]


# --- the records alone ----------------------------------------------------------------------------


def test_the_records_fit_the_catalogue():
    titles = [o.title.lower() for o in OFFERINGS]
    assert len(titles) == len(set(titles))
    for offering in OFFERINGS:
        assert len(offering.title) <= 200 and len(offering.summary) <= 300, offering.title
        assert len(offering.provider) <= 200 and len(offering.location) <= 200 and len(offering.duration) <= 100
        assert offering.summary.endswith(".") and offering.description.endswith("."), offering.title
        assert offering.title[0].isupper() and offering.eligibility, offering.title


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not on this machine")
def test_the_words_are_cadres_own():
    # No run of six words from the public documents the project started from appears in any
    # offering: the catalogue is written afresh, not copied.
    def runs(text: str) -> set[tuple[str, ...]]:
        found = re.findall(r"[a-z0-9']+", text.lower())
        return {tuple(found[i : i + 6]) for i in range(len(found) - 5)}

    seeded = set().union(*(runs(path.read_text(errors="ignore")) for path in SEEDS.glob("*.txt")))
    assert seeded  # the check can fail: the seeds were read
    for offering in OFFERINGS:
        text = " ".join((offering.title, offering.summary, offering.description, offering.eligibility))
        assert not runs(text) & seeded, offering.title


# --- the loaded demo ------------------------------------------------------------------------------


@pytest.fixture
def borough(db):
    assert demo_load().loaded
    return Organisation.objects.get(slug=BOROUGH.slug)


def ld_admin(borough):
    return Membership.objects.filter(organisation=borough, role=Role.LD_ADMIN).select_related("user").get().user


def test_the_demo_catalogue(borough, client):
    offerings = list(
        Offering.objects.filter(organisation=borough)
        .select_related("framework")
        .prefetch_related("attribute_tags", "tier_tags")
    )
    officers = [o for o in offerings if o.framework.slug == "officers"]
    assert len(offerings) == len(OFFERINGS) and len(officers) >= 60
    assert {o.kind for o in offerings} == set(Offering.Kind.values)  # all twelve kinds
    assert {o.mode for o in offerings} == set(Offering.Mode.values)
    assert len({o.provider for o in offerings}) >= 10
    accreditations = " ".join(o.accreditation for o in offerings)
    for needed in ("CMI Level 5", "CMI Level 7", "ILM Level 3", "ILM Level 5", "Level 7 Senior Leader apprenticeship"):
        assert needed in accreditations
    assert sum(o.partners_may_book for o in offerings) >= 5
    assert any(o.cost and o.cost > 0 for o in offerings) and any(o.cost == 0 for o in offerings)
    assert {o.status for o in offerings} == {Offering.Status.PUBLISHED, Offering.Status.DRAFT}

    # Every offering is tagged with at least one attribute and one tier of its framework's published version.
    for offering in offerings:
        version = offering.framework.versions.get(status=FrameworkVersion.Status.PUBLISHED)
        attributes = {t.key for t in offering.attribute_tags.all()}
        tiers = {t.key for t in offering.tier_tags.all()}
        assert attributes and tiers, offering.title
        assert attributes <= set(version.attributes.values_list("key", flat=True)), offering.title
        assert tiers <= set(version.tiers.values_list("key", flat=True)), offering.title

    # Every published offering can be found by a word from its title, by someone in the borough.
    fiona = ld_admin(borough)
    for offering in offerings:
        word = max(words(offering.title), key=len)
        found = {o.pk for o in catalogue_search(fiona, Filters(text=word))}
        assert (offering.pk in found) == (offering.status == Offering.Status.PUBLISHED), (offering.title, word)

    # Staff of the community health trust see the borough's offerings that partners may book, and no others.
    trust = Organisation.objects.get(slug=TRUST.slug)
    partner = Membership.objects.filter(organisation=trust).select_related("user").first().user
    shared = {o.pk for o in offerings if o.partners_may_book and o.status == Offering.Status.PUBLISHED}
    assert set(offerings_visible_to(partner).filter(organisation=borough).values_list("pk", flat=True)) == shared

    # Coverage has strong attributes and thin ones: the gaps are real.
    cells = coverage(borough.pk, OFFICER_ATTRIBUTES, OFFICER_TIERS)
    for attribute in ("agile", "collaborative", "accountable"):  # the council's focus attributes
        assert sum(cells.get((attribute, tier), 0) > 0 for tier in OFFICER_TIERS) >= 4, attribute
    assert [cells.get(("commercial", tier), 0) for tier in OFFICER_TIERS] == [0, 1, 0, 0, 0]
    assert [cells.get(("innovative", tier), 0) for tier in OFFICER_TIERS][:2] == [0, 0]
    gaps = sum(cells.get((a, t), 0) == 0 for a in OFFICER_ATTRIBUTES for t in OFFICER_TIERS)
    assert 4 <= gaps <= 10
    client.force_login(fiona)
    page = client.get(reverse("catalogue:coverage"))
    assert page.status_code == 200
    assert f"{gaps} gaps." in page.content.decode()


def test_loading_again_changes_nothing_and_a_demo_without_a_catalogue_gets_one(
    db, monkeypatch, django_assert_max_num_queries
):
    # A demo loaded before the catalogue existed.
    monkeypatch.setattr(services, "demo_catalogue_load", lambda: 0)
    assert demo_load().loaded
    borough = Organisation.objects.get(slug=BOROUGH.slug)
    assert not Offering.objects.filter(organisation=borough).exists()
    monkeypatch.undo()

    # Loading again finds the demo there and adds the catalogue, in bulk: a few queries in all,
    # not a dozen for each of the 70-odd offerings (and a few more to find the programmes, the
    # mentoring scheme and the groups already there).
    with django_assert_max_num_queries(40):
        assert demo_load().loaded is False
    assert Offering.objects.filter(organisation=borough).count() == len(OFFERINGS)
    first = sorted(Offering.objects.filter(organisation=borough).values_list("pk", "title", "updated_at"))
    audit = AuditEntry.objects.count()

    # And once more: nothing changes.
    assert demo_load().loaded is False
    assert demo_catalogue_load() == 0
    assert sorted(Offering.objects.filter(organisation=borough).values_list("pk", "title", "updated_at")) == first
    assert AuditEntry.objects.count() == audit
