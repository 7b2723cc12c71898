from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from cadre.core import forms as core_forms
from cadre.core.errors import ValidationError
from cadre.core.mail import outbox_message, outbox_messages
from cadre.core.models import Organisation, Role
from cadre.core.selectors import audit_entries_visible_to, organisations_where, roles_by_organisation
from cadre.core.services import invitation_accept, invitation_for_token


def home(request):
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    from cadre.people.selectors import person_of

    person = person_of(request.user)
    roles = roles_by_organisation(request.user)
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=roles.keys())}
    role_rows = [
        {"organisation": organisations[org_id], "roles": sorted(Role(r).label for r in held)}
        for org_id, held in roles.items()
        if org_id in organisations
    ]
    context = {
        "person": person,
        "role_rows": role_rows,
        "direct_report_count": person.direct_reports.filter(status="active").count() if person else 0,
        "can_import": bool(organisations_where(request.user, Role.LD_ADMIN, Role.ORG_ADMIN)),
        "can_audit": bool(organisations_where(request.user, Role.ORG_ADMIN)),
        "sees_capability": bool(
            organisations_where(request.user, Role.LD_ADMIN, Role.ORG_ADMIN, Role.EXECUTIVE_VIEWER)
        ),
        "open_360s": _open_360s(person),
        "has_two_factor": Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists(),
    }
    return render(request, "core/home.html", context)


def _open_360s(person) -> list:
    """The person's 360s still waiting for them to choose raters."""
    if person is None:
        return []
    from cadre.diagnostics.models import Campaign, Subject

    return list(
        Subject.objects.filter(
            person=person,
            campaign__kind=Campaign.Kind.FEEDBACK_360,
            nominations=Subject.Nominations.OPEN,
        ).exclude(campaign__status=Campaign.Status.CLOSED)
    )


def help_page(request):
    return render(request, "core/help.html")


def _require_outbox():
    if not settings.CADRE_SHOW_OUTBOX:
        raise Http404("The outbox is only shown in demonstrations.")


def outbox(request):
    _require_outbox()
    return render(request, "core/outbox.html", {"emails": outbox_messages()})


def outbox_detail(request, message_id: str):
    _require_outbox()
    email = outbox_message(message_id)
    if email is None:
        raise Http404("No such email.")
    return render(request, "core/outbox_detail.html", {"email": email})


@login_required
def audit_log(request):
    organisation = _administered_organisation(request)
    kind = request.GET.get("kind", "all")
    entries = audit_entries_visible_to(request.user, organisation)
    if kind in AUDIT_KINDS and kind != "all":
        entries = entries.filter(content_type__model__in=AUDIT_KINDS[kind][1])
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [_audit_row(entry) for entry in page]
    return render(
        request,
        "core/audit_log.html",
        {
            "organisation": organisation,
            "organisations": _administered_organisations(request),
            "page": page,
            "rows": rows,
            "kind": kind,
            "kinds": [(key, label) for key, (label, _) in AUDIT_KINDS.items()],
            "query": urlencode({"organisation": organisation.slug, "kind": kind}),
        },
    )


AUDIT_KINDS = {
    "all": ("Everything", []),
    "people": ("People", ["person", "personimport"]),
    "roles": ("Roles and logins", ["membership", "user", "invitation"]),
    "organisation": (
        "Organisation, departments and networks",
        ["organisation", "department", "network", "networkmembership"],
    ),
    "frameworks": ("Frameworks", ["framework", "frameworkversion"]),
}

AUDIT_EVENTS = {
    "people.imported": "Changed by an HR import",
    "people.import_completed": "HR import completed",
    "people.left_roles_removed": "Roles removed on leaving",
    "person.exported": "Personal data downloaded",
    "person.erased": "Personal data erased",
    "demo.loaded": "Demonstration data loaded",
    "framework.created": "Framework created",
    "framework.draft_started": "New draft started",
    "framework.details_changed": "Framework details changed in a draft",
    "framework.version_published": "Version published",
}

_ACTIONS = {0: "Created", 1: "Changed", 2: "Deleted", 3: "Viewed"}


def _readable(value) -> str:
    text = "" if value in (None, "None") else str(value)
    return text


def _audit_row(entry) -> dict:
    """One audit entry in plain words: what happened, to what, and each field before and after."""
    what = AUDIT_EVENTS.get(entry.event) or (
        entry.event.replace(".", ": ").replace("_", " ").capitalize() if entry.event else _ACTIONS.get(entry.action, "")
    )
    changes = []
    if isinstance(entry.changes, dict):
        for name, change in entry.changes.items():
            if name in {"id", "granted_at", "created_at", "updated_at"}:
                continue
            label = name.replace("_", " ").capitalize()
            if isinstance(change, list | tuple) and len(change) == 2:
                changes.append((label, _readable(change[0]), _readable(change[1])))
            else:
                changes.append((label, "", _readable(change)))
    return {"entry": entry, "what": what, "changes": changes}


@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    found = invitation_for_token(token)
    if found is None:
        raise Http404("This invitation link is not valid.")
    form = core_forms.AcceptInvitationForm(
        request.POST if request.method == "POST" else None,
        initial={"full_name": found.person.full_name} if found.person_id else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token, password=form.cleaned_data["password"], full_name=form.cleaned_data["full_name"]
            )
        except ValidationError as error:
            for problem in error.problems:
                if problem.field == "password":
                    form.add_error("password", problem.message)
                else:
                    form.add_error(None, problem.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to Cadre. You are signed in as {user.email}.")
            return redirect("home")
    return render(request, "core/invitation.html", {"form": form, "invitation": found})


def csrf_failure(request, reason: str = ""):
    return render(request, "403_csrf.html", status=403)


def _administered_organisations(request) -> list[Organisation]:
    organisations = list(Organisation.objects.filter(pk__in=organisations_where(request.user, Role.ORG_ADMIN)))
    if not organisations:
        raise Http404("You do not administer an organisation.")
    return organisations


def _administered_organisation(request) -> Organisation:
    """The organisation chosen on the page, else the person's own, else the first they administer."""
    from cadre.people.selectors import person_of

    organisations = _administered_organisations(request)
    chosen = request.GET.get("organisation") or request.POST.get("organisation")
    me = person_of(request.user)
    home = me.organisation_id if me is not None else None
    return next(
        (o for o in organisations if o.slug == chosen),
        next((o for o in organisations if o.pk == home), organisations[0]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def roles(request):
    """Organisation administrators grant and revoke roles. Line-manager rights are not roles."""
    from cadre.core.models import Membership, User
    from cadre.core.services import role_grant, role_revoke

    organisation = _administered_organisation(request)
    form = core_forms.GrantRoleForm(request.POST if request.method == "POST" and "grant" in request.POST else None)
    if request.method == "POST" and "revoke" in request.POST:
        membership = (
            Membership.objects.filter(pk=request.POST.get("revoke"), organisation=organisation)
            .select_related("user")
            .first()
        )
        if membership is None:
            raise Http404("No such role.")
        if membership.user_id == request.user.pk and membership.role == Role.ORG_ADMIN:
            messages.error(request, "You cannot remove your own administrator role. Ask another administrator.")
        else:
            role_revoke(user=membership.user, organisation=organisation, role=membership.role, actor=request.user)
            messages.success(request, f"{membership.user} is no longer {Role(membership.role).label.lower()}.")
        return redirect(f"{request.path}?organisation={organisation.slug}")
    if form.is_bound and form.is_valid():
        email = form.cleaned_data["email"].lower()
        user = (
            User.objects.filter(email__iexact=email, is_active=True)
            .filter(models_q_in_organisation(organisation))
            .first()
        )
        if user is None:
            form.add_error("email", f"No one in {organisation.name} has a login with the email {email}.")
        else:
            role_grant(user=user, organisation=organisation, role=form.cleaned_data["role"], actor=request.user)
            messages.success(request, f"{user} is now {Role(form.cleaned_data['role']).label.lower()}.")
            return redirect(f"{request.path}?organisation={organisation.slug}")
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .exclude(role=Role.MEMBER)
        .select_related("user")
        .order_by("user__email", "role")
    )
    return render(
        request,
        "core/roles.html",
        {
            "organisation": organisation,
            "organisations": _administered_organisations(request),
            "memberships": memberships,
            "form": form,
        },
    )


def models_q_in_organisation(organisation):
    from django.db.models import Q

    return Q(person__organisation=organisation) | Q(memberships__organisation=organisation)
