"""The catalogue: adding offerings, browsing with filters, ranked search on both databases,
partner places, recommended for a tier, and the coverage of attributes by tiers."""

import html
import re
from decimal import Decimal

import pytest

from cadre.catalogue import services
from cadre.catalogue.models import Offering
from cadre.catalogue.selectors import Filters, catalogue_search
from cadre.core.errors import ValidationError
from cadre.core.models import NetworkMembership, Role
from tests.factories import NetworkFactory, OrganisationFactory, user_with_role
from tests.frameworks import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory()


@pytest.fixture
def framework(org):
    framework = builders.framework(organisation=org)
    builders.version(framework, attributes=2, tiers=2)
    return framework


@pytest.fixture
def admin(org):
    return user_with_role(org, Role.LD_ADMIN)


def add(org, admin, framework, title, *, summary="", kind="course", mode="in_person", attributes=(), tiers=(), **more):
    return services.offering_save(
        organisation=org,
        actor=admin,
        details=services.OfferingDetails(
            kind=kind,
            title=title,
            summary=summary or f"About {title.lower()}",
            mode=mode,
            framework=framework,
            attributes=list(attributes),
            tiers=list(tiers),
            **more,
        ),
    )


def test_search_ranks_title_matches_first_and_finds_prefixes(org, admin, framework):
    add(org, admin, framework, "Coaching conversations", summary="Listening well", description="Leadership skills")
    add(org, admin, framework, "Leadership foundations", summary="First steps as a leader")
    add(org, admin, framework, "Budget basics", summary="Money matters")
    found = [o.title for o in catalogue_search(admin, Filters(text="leader"))]
    assert found == ["Leadership foundations", "Coaching conversations"]
    assert [o.title for o in catalogue_search(admin, Filters(text="budget money"))] == ["Budget basics"]
    assert catalogue_search(admin, Filters(text="nothing like this")) == []
    assert len(catalogue_search(admin, Filters(text="'\"*() OR AND NEAR"))) in (0, 3)  # no syntax error


def test_filters_combine(org, admin, framework):
    version = framework.versions.get()
    a1, a2 = [a.key for a in version.attributes.order_by("order")]
    t1, t2 = [t.key for t in version.tiers.order_by("rank")]
    add(org, admin, framework, "One", kind="coaching", mode="online", attributes=[a1], tiers=[t1])
    add(org, admin, framework, "Two", kind="course", mode="online", attributes=[a2], tiers=[t1, t2])
    add(org, admin, framework, "Three", kind="course", mode="in_person", attributes=[a1, a2], tiers=[t2])
    titles = lambda f: [o.title for o in catalogue_search(admin, f)]  # noqa: E731
    assert titles(Filters(kinds=("course",))) == ["Three", "Two"]
    assert titles(Filters(kinds=("course",), modes=("online",))) == ["Two"]
    assert titles(Filters(attributes=(a1,), tiers=(t2,))) == ["Three"]
    assert titles(Filters(tiers=(t1,))) == ["One", "Two"]


def test_partners_see_only_offerings_opened_to_them(org, admin, framework):
    add(org, admin, framework, "Open to partners", partners_may_book=True)
    add(org, admin, framework, "Ours only")
    add(org, admin, framework, "Still a draft", status="draft")
    partner = OrganisationFactory()
    network = NetworkFactory()
    NetworkMembership.objects.create(network=network, organisation=org)
    NetworkMembership.objects.create(network=network, organisation=partner)
    partner_user = user_with_role(partner, Role.MEMBER)
    assert [o.title for o in catalogue_search(partner_user, Filters())] == ["Open to partners"]
    stranger = user_with_role(OrganisationFactory(), Role.MEMBER)
    assert catalogue_search(stranger, Filters()) == []
    assert [o.title for o in catalogue_search(admin, Filters())] == ["Open to partners", "Ours only"]


def test_bad_offerings_are_refused_with_every_problem(org, admin, framework):
    add(org, admin, framework, "Taken")
    with pytest.raises(ValidationError) as error:
        add(
            org,
            admin,
            framework,
            "taken",
            summary=" ",
            kind="party",
            mode="by pigeon",
            cost=Decimal("-1"),
            attributes=["no-such-key"],
        )
    assert {p.field for p in error.value.problems} == {"title", "summary", "kind", "mode", "cost", "attributes"}
    assert Offering.objects.count() == 1
    member = user_with_role(org, Role.MEMBER)
    with pytest.raises(Exception, match="learning and development administrators"):
        add(org, member, framework, "Not mine to add")


def test_the_pages_browse_recommend_and_show_coverage(client, org, admin, framework):
    version = framework.versions.get()
    a1 = version.attributes.order_by("order").first()
    t1, t2 = list(version.tiers.order_by("rank"))
    add(org, admin, framework, "Aspiring managers programme", kind="programme", attributes=[a1.key], tiers=[t1.key])
    member = user_with_role(org, Role.MEMBER)
    member.person.tier = t1
    member.person.save()
    client.force_login(member)
    page = client.get("/catalogue/").content.decode()
    assert "Recommended for your tier" in page and "Aspiring managers programme" in page
    page = client.get("/catalogue/?q=aspiring&kind=programme").content.decode()
    assert "1 offering, best match first" in page
    assert client.get("/catalogue/?q=%00&kind=nonsense&tier=nope").status_code == 200
    offering = Offering.objects.get()
    assert client.get(f"/catalogue/{offering.pk}/").status_code == 200
    assert client.get("/catalogue/coverage/").status_code == 404  # members do not manage it
    client.force_login(admin)
    coverage = client.get("/catalogue/coverage/").content.decode()
    assert re.search(rf"{a1.name}</th><td[^>]*>1</td>", coverage)
    response = client.post(
        "/catalogue/new/",
        {"title": "", "kind": "course", "summary": "x", "mode": "online", "cost": "lots", "status": "published"},
    )
    text = html.unescape(response.content.decode())
    assert "Enter the offering's title." in text and "Enter the cost as a number of pounds" in text
    response = client.post(
        "/catalogue/new/",
        {
            "title": "Coaching for new managers",
            "kind": "coaching",
            "summary": "Six sessions",
            "mode": "online",
            "cost": "450",
            "framework": str(framework.pk),
            "attributes": [a1.key],
            "tiers": [t2.key],
            "status": "published",
        },
    )
    added = Offering.objects.get(title="Coaching for new managers")
    assert response.status_code == 302 and added.cost == Decimal("450")
    assert [o.title for o in catalogue_search(admin, Filters(text="coaching"))] == ["Coaching for new managers"]


def test_the_api_lists_and_reads_offerings_the_caller_may_see(client, org, admin, framework):
    add(org, admin, framework, "Leadership foundations", kind="programme")
    add(org, admin, framework, "Budget basics")
    client.force_login(admin)
    body = client.get("/api/catalogue?q=leader&kind=programme&kind=nonsense").json()
    assert [o["title"] for o in body["items"]] == ["Leadership foundations"]
    offering_id = body["items"][0]["id"]
    assert client.get(f"/api/catalogue/{offering_id}").json()["kind"] == "programme"
    client.force_login(user_with_role(OrganisationFactory(), Role.MEMBER))
    assert client.get(f"/api/catalogue/{offering_id}").status_code == 404
    assert client.get("/api/catalogue").json()["items"] == []


def test_attribute_and_tier_pages_list_the_development_that_builds_them(client, org, admin, framework):
    version = framework.versions.get()
    attribute = version.attributes.order_by("order").first()
    tier = version.tiers.order_by("rank").first()
    add(org, admin, framework, "Collaboration in practice", attributes=[attribute.key], tiers=[tier.key])
    add(org, admin, framework, "Unrelated course")
    client.force_login(user_with_role(org, Role.MEMBER))
    page = client.get(f"/frameworks/{framework.pk}/versions/1/attributes/{attribute.key}/").content.decode()
    assert "Collaboration in practice" in page and "Unrelated course" not in page
    page = client.get(f"/frameworks/{framework.pk}/versions/1/tiers/{tier.key}/").content.decode()
    assert "Collaboration in practice" in page and "Unrelated course" not in page
