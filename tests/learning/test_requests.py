"""Asking for an offering and deciding: who may ask for what, who decides, the reasons, the emails
and the audit, and every way it is refused without writing anything."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.models import AuditEntry, NetworkMembership, Role
from cadre.learning import selectors, services
from cadre.learning.models import LearningRequest
from cadre.people.models import RoleType
from tests.factories import NetworkFactory, OrganisationFactory, PersonFactory, user_with_role
from tests.learning.conftest import ask, fresh, offering_in

pytestmark = pytest.mark.django_db


def decide(user, item, *, approve=True, reason=""):
    return services.request_decide(learning_request=item, actor=fresh(user), approve=approve, reason=reason)


def test_a_request_is_recorded_audited_and_the_line_manager_is_emailed(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    keys = [a.key for a in world.version.attributes.order_by("order")]
    with django_capture_on_commit_callbacks(execute=True):
        item = ask(world.person, world.offering, attributes=[keys[1]], preferred_start="The May course")
    item.refresh_from_db()
    assert item.status == LearningRequest.Status.REQUESTED
    assert item.organisation == world.org and item.person == world.person.person
    name = world.version.attributes.get(key=keys[1]).name
    assert item.attributes == [{"key": keys[1], "name": name}]
    assert item.preferred_start == "The May course"
    assert AuditEntry.objects.filter(event="learning.requested", object_id=item.pk).exists()
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [world.manager.email]
    assert "Sam Smith asks to do Leading through change" in email.subject
    assert f"/learning/requests/{item.pk}/decide/" in email.body
    assert "To lead my team" in email.body


def test_bad_requests_are_refused_with_every_problem_and_nothing_written(world):
    with pytest.raises(ValidationError) as error:
        ask(world.person, world.offering, reason="   ", attributes=["no-such-attribute"], preferred_start="x" * 201)
    assert {p.field for p in error.value.problems} == {"reason", "attributes", "preferred_start"}
    with pytest.raises(ValidationError, match="2,000 characters"):
        ask(world.person, world.offering, reason="x" * 2001)
    assert not LearningRequest.objects.exists()


def test_asking_twice_for_the_same_offering_is_refused_while_one_is_open(world):
    first = ask(world.person, world.offering)
    with pytest.raises(ValidationError, match="already have a request for this offering"):
        ask(fresh(world.person), world.offering)
    decide(world.manager, first, approve=True)
    with pytest.raises(ValidationError, match="already have a request"):
        ask(fresh(world.person), world.offering)  # approved is still open
    services.request_cancel(learning_request=first, actor=fresh(world.person))
    second = ask(fresh(world.person), world.offering)  # cancelled: may ask again
    decide(world.manager, second, approve=False, reason="Not this year.")
    ask(fresh(world.person), world.offering)  # declined: may ask again
    assert LearningRequest.objects.filter(person=world.person.person).count() == 3


def test_the_database_holds_one_open_request_per_person_and_offering(world):
    ask(world.person, world.offering)
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningRequest.objects.create(
            organisation=world.org, person=world.person.person, offering=world.offering, reason="Again"
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_make_one(world):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run() -> None:
        try:
            barrier.wait()
            ask(fresh(world.person), world.offering)
            outcomes.append("made")
        except ValidationError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(o == "made" for o in outcomes) == [False, True], outcomes
    assert any("already have a request" in o for o in outcomes)
    assert LearningRequest.objects.filter(person=world.person.person).count() == 1


def test_offerings_the_person_cannot_see_cannot_be_asked_for(world):
    other = OrganisationFactory()
    other_admin = user_with_role(other, Role.LD_ADMIN)
    from tests.frameworks import builders

    other_version = builders.version(builders.framework(organisation=other), attributes=2, tiers=1)
    theirs = offering_in(other, other_admin, other_version, "Their own course")
    draft = offering_in(world.org, world.admin, world.version, "Still a draft", status="draft")
    for offering in (theirs, draft):
        with pytest.raises(PermissionDenied):
            ask(fresh(world.person), offering)
    # In a network, a partner's offering is open only when partners may book it.
    network = NetworkFactory()
    NetworkMembership.objects.create(network=network, organisation=world.org)
    NetworkMembership.objects.create(network=network, organisation=other)
    with pytest.raises(PermissionDenied):
        ask(fresh(world.person), theirs)
    theirs.partners_may_book = True
    theirs.save()
    item = ask(fresh(world.person), theirs)
    assert item.organisation == world.org  # decided at home
    assert LearningRequest.objects.count() == 1


def test_without_a_current_staff_record_nobody_can_ask(world):
    from tests.factories import MembershipFactory, UserFactory

    login_only = UserFactory()
    MembershipFactory(user=login_only, organisation=world.org, role=Role.MEMBER)
    with pytest.raises(PermissionDenied, match="staff record"):
        ask(login_only, world.offering)
    person = world.person.person
    person.status = "left"
    person.save()
    with pytest.raises(PermissionDenied, match="staff record"):
        ask(fresh(world.person), world.offering)


def test_the_line_manager_decides_and_nobody_else_in_the_chain(world):
    item = ask(world.person, world.offering)
    for user in (world.director, world.colleague, world.outsider):
        with pytest.raises(PermissionDenied):
            decide(user, item)
    assert selectors.requests_to_decide(fresh(world.manager)).get() == item
    assert not selectors.requests_to_decide(fresh(world.director)).exists()
    # The administrators see it waiting for someone else, and may still decide it.
    assert not selectors.requests_to_decide(fresh(world.admin)).exists()
    assert list(selectors.requests_waiting_for_others(fresh(world.admin))) == [item]
    decided = decide(world.manager, item, approve=True, reason="Good idea.")
    assert decided.status == "approved" and decided.decided_by == world.manager
    assert decided.decided_by_name == "Max Manager" and decided.decision_reason == "Good idea."
    assert AuditEntry.objects.filter(event="learning.approved", object_id=item.pk, actor=world.manager).exists()


def test_an_elected_member_is_decided_by_their_endorser(world):
    endorser = user_with_role(world.org, Role.MEMBER, first_name="Gill", last_name="Leader")
    councillor = user_with_role(
        world.org, Role.MEMBER, role_type=RoleType.ELECTED_MEMBER, endorser=endorser.person, first_name="Cllr"
    )
    item = ask(councillor, world.offering)
    assert selectors.named_approver(councillor.person) == endorser.person
    assert list(selectors.requests_to_decide(fresh(endorser))) == [item]
    assert selectors.requests_visible_to(fresh(endorser)).filter(pk=item.pk).exists()
    assert not selectors.may_view_record(fresh(endorser), councillor.person)  # the request, not the record
    with pytest.raises(PermissionDenied):
        decide(world.manager, item)
    assert decide(endorser, item).status == "approved"
    # Once decided, what the councillor does with it is for their record's readers, not the endorser.
    assert not selectors.requests_visible_to(fresh(endorser)).filter(pk=item.pk).exists()


def test_with_nobody_named_able_to_decide_the_administrators_do(world, mailoutbox, django_capture_on_commit_callbacks):
    no_manager = user_with_role(world.org, Role.MEMBER, first_name="Ola")
    manager_without_login = PersonFactory(organisation=world.org)
    under_no_login = user_with_role(world.org, Role.MEMBER, line_manager=manager_without_login)
    councillor = user_with_role(world.org, Role.MEMBER, role_type=RoleType.ELECTED_MEMBER)  # no endorser
    left_manager = user_with_role(world.org, Role.MEMBER)
    under_left = user_with_role(world.org, Role.MEMBER, line_manager=left_manager.person)
    left_manager.person.status = "left"
    left_manager.person.save()
    with django_capture_on_commit_callbacks(execute=True):
        items = [ask(u, world.offering) for u in (no_manager, under_no_login, councillor, under_left)]
    assert [m.to for m in mailoutbox] == [[world.admin.email]] * 4
    assert list(selectors.requests_to_decide(fresh(world.admin))) == items
    assert not selectors.requests_to_decide(fresh(world.manager)).exists()
    assert decide(world.admin, items[0]).status == "approved"


def test_administrators_may_always_decide_but_nobody_decides_their_own(world):
    item = ask(world.person, world.offering)
    assert decide(world.admin, item, approve=False, reason="The budget is spent.").status == "declined"
    own = ask(world.admin, world.offering)
    with pytest.raises(PermissionDenied, match="own request"):
        decide(world.admin, own)
    assert not selectors.requests_to_decide(fresh(world.admin)).filter(pk=own.pk).exists()
    another_admin = user_with_role(world.org, Role.LD_ADMIN)
    assert list(selectors.requests_to_decide(fresh(another_admin))) == [own]
    assert decide(another_admin, own).status == "approved"
    own.refresh_from_db()
    assert own.status == "approved"


def test_a_decline_needs_a_reason_and_a_decision_is_made_once(world, mailoutbox, django_capture_on_commit_callbacks):
    item = ask(world.person, world.offering)
    with pytest.raises(ValidationError) as error:
        decide(world.manager, item, approve=False, reason="  ")
    assert error.value.problems[0].field == "reason"
    item.refresh_from_db()
    assert item.status == "requested" and item.decided_at is None
    with django_capture_on_commit_callbacks(execute=True):
        decide(world.manager, item, approve=False, reason="We run this in house next month.")
    assert mailoutbox[-1].to == [world.person.email]
    assert mailoutbox[-1].subject == "Not approved: Leading through change"
    assert "We run this in house next month." in mailoutbox[-1].body
    with pytest.raises(ValidationError, match="no longer waiting for a decision: it is declined"):
        decide(world.admin, item, approve=True)
    assert AuditEntry.objects.filter(event="learning.declined", object_id=item.pk).count() == 1
    assert not AuditEntry.objects.filter(event="learning.approved").exists()


def test_only_the_person_cancels_and_only_while_open(world):
    item = ask(world.person, world.offering)
    with pytest.raises(PermissionDenied):
        services.request_cancel(learning_request=item, actor=fresh(world.manager))
    cancelled = services.request_cancel(learning_request=item, actor=fresh(world.person))
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    with pytest.raises(ValidationError, match="already cancelled"):
        services.request_cancel(learning_request=item, actor=fresh(world.person))
    with pytest.raises(ValidationError, match="no longer waiting"):
        decide(world.manager, item)


def test_requests_are_visible_to_the_chain_and_administrators_only(world):
    item = ask(world.person, world.offering)
    for user in (world.person, world.manager, world.director, world.admin):
        assert selectors.requests_visible_to(fresh(user)).filter(pk=item.pk).exists(), user
    viewer = user_with_role(world.org, Role.EXECUTIVE_VIEWER)
    for user in (world.colleague, world.outsider, viewer):
        assert not selectors.requests_visible_to(fresh(user)).filter(pk=item.pk).exists(), user
