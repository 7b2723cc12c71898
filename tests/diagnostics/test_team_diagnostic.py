"""A leadership team rates how it leads: members answer by link; the profile shows only what at
least the threshold of members rated, to members and administrators, once closed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.core.errors import ValidationError
from cadre.core.models import Role
from cadre.diagnostics import services
from cadre.diagnostics.models import Campaign, Response
from tests.factories import OrganisationFactory, user_with_role
from tests.frameworks import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def tier(org):
    return builders.version(builders.framework(organisation=org), attributes=2, tiers=2).tiers.get(rank=2)


def test_a_team_rates_itself_and_reads_its_profile(client, org, admin, tier, django_capture_on_commit_callbacks):
    members = [user_with_role(org, Role.MEMBER) for _ in range(4)]
    councillor = user_with_role(org, Role.MEMBER)
    councillor.person.role_type = "elected_member"
    councillor.person.save()
    members.append(councillor)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/diagnostics/campaigns/teams/",
            {
                "name": "Cabinet and corporate management team",
                "tier": str(tier.pk),
                "members": "\n".join(m.email for m in members),
                "closes_on": (timezone.localdate() + timedelta(days=7)).strftime("%d %m %Y"),
                "threshold": "3",
            },
        )
    assert response.status_code == 302
    campaign = Campaign.objects.get(kind=Campaign.Kind.TEAM)
    responses = list(Response.objects.filter(subject__campaign=campaign))
    assert len(responses) == 5 and {r.status for r in responses} == {"invited"}
    items = dict(campaign.items.values_list("pk", "reverse"))

    def scored(value: int) -> dict:  # every item scores `value`, signs of absence answered in mirror
        return {pk: 6 - value if reverse else value for pk, reverse in items.items()}

    # Two members answer: too few for any figure.
    for response, value in zip(responses[:2], (5, 5), strict=True):
        services.answers_save(response=response, ratings=scored(value), submit=True)
    client.force_login(members[0])
    page = client.get(f"/feedback/{responses[2].pk}/{responses[2].link_token()}/").content.decode()
    assert "How Cabinet and corporate management team leads" in page
    assert client.get(f"/diagnostics/teams/{campaign.pk}/").status_code == 404  # still open
    services.campaign_close(campaign=campaign, actor=admin)
    page = client.get(f"/diagnostics/teams/{campaign.pk}/").content.decode()
    assert "Too few members answered for any figure to show." in page
    # A third member's answers (on a reopened copy) would show: check the figure once three answer.
    campaign.status = Campaign.Status.OPEN
    campaign.save()
    services.answers_save(response=responses[2], ratings=scored(2), submit=True)
    services.campaign_close(campaign=campaign, actor=admin)
    page = client.get(f"/diagnostics/teams/{campaign.pk}/").content.decode()
    assert re.search(r"4\.0 <span class=\"govuk-body-s\">\(3\)</span>", page)  # (5 + 5 + 2) / 3
    assert members[0].person.full_name not in page
    # Someone outside the team, and another organisation's administrator, see nothing.
    client.force_login(user_with_role(org, Role.MEMBER))
    assert client.get(f"/diagnostics/teams/{campaign.pk}/").status_code == 404
    client.force_login(user_with_role(OrganisationFactory(), Role.LD_ADMIN))
    assert client.get(f"/diagnostics/teams/{campaign.pk}/").status_code == 404


def test_a_team_too_small_for_its_threshold_is_refused(org, admin, tier):
    members = [user_with_role(org, Role.MEMBER).person for _ in range(2)]
    with pytest.raises(ValidationError, match=r"A team needs at least 3 members for its profile to show\."):
        services.team_diagnostic_start(
            organisation=org,
            actor=admin,
            name="Two of us",
            tier=tier,
            members=members,
            closes_on=timezone.localdate(),
        )
    assert not Campaign.objects.exists()
