"""How the people app exports and erases one person's data."""

from cadre.core import privacy


def _export(person) -> dict:
    return {
        "employee_number": person.employee_number,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "job_title": person.job_title,
        "grade": person.grade,
        "department": person.department.name if person.department_id else None,
        "line_manager": person.line_manager.full_name if person.line_manager_id else None,
        "endorser": person.endorser.full_name if person.endorser_id else None,
        "tier": person.tier.name if person.tier_id else None,
        "role_type": person.get_role_type_display(),
        "start_date": person.start_date.isoformat() if person.start_date else None,
        "status": person.get_status_display(),
        "left_on": person.left_on.isoformat() if person.left_on else None,
        "organisation": person.organisation.name,
        "login_email": person.user.email if person.user_id else None,
    }


def _erase(person) -> None:
    """Keep the row (so counts by department, tier and grade still add up); remove identity."""
    user = person.user
    employee_number = person.employee_number
    person.first_name = "Erased"
    person.last_name = f"person {person.pk}"
    person.email = ""
    person.employee_number = None
    person.job_title = ""
    person.start_date = None
    person.user = None
    person.save()
    _scrub_audit(type(person), person.pk, f"Erased person {person.pk}")
    _scrub_imports(person, employee_number)
    if user is not None:
        # Roles in this organisation go. The login itself is erased only if it reaches no further:
        # an organisation administrator cannot close a login that holds roles elsewhere.
        user.memberships.filter(organisation_id=person.organisation_id).delete()
        if not (user.is_superuser or user.is_staff or user.memberships.exists()):
            _erase_login(user)


def _erase_login(user) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    names = {str(user), user.email}
    user.email = f"erased-{user.pk}@invalid.example"
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    _scrub_audit(type(user), user.pk, f"Erased login {user.pk}")
    from cadre.core.models import AuditEntry

    AuditEntry.objects.filter(actor=user).update(actor_email="")
    # Role entries name the login ("Nia Evans — Member at ..."): keep the role, not the name.
    from django.contrib.contenttypes.models import ContentType

    from cadre.core.models import Membership

    for entry in AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Membership)):
        for name in names:
            if entry.object_repr.startswith(f"{name} — "):
                entry.object_repr = f"Erased login {user.pk}" + entry.object_repr[len(name) :]
                entry.save(update_fields=["object_repr"])
                break


def _scrub_imports(person, employee_number: str | None) -> None:
    """HR files keep the person's row: files no longer needed are emptied, and the person's line
    in each import's outcomes is blanked."""
    from cadre.people.models import PersonImport

    imports = PersonImport.objects.filter(organisation_id=person.organisation_id)
    imports.exclude(status__in=[PersonImport.Status.QUEUED, PersonImport.Status.RUNNING]).exclude(content=b"").update(
        content=b""
    )
    imports.filter(status=PersonImport.Status.PREVIEWED).update(status=PersonImport.Status.CANCELLED)
    if not employee_number:
        return
    for person_import in imports.defer("content"):
        outcomes = person_import.outcomes or []
        if any(o.get("employee_number") == employee_number for o in outcomes):
            person_import.outcomes = [
                {**o, "employee_number": "", "name": "Erased person", "changes": {}}
                if o.get("employee_number") == employee_number
                else o
                for o in outcomes
            ]
            person_import.save(update_fields=["outcomes"])


def _scrub_audit(model, object_id: int, replacement: str) -> None:
    """The audit log keeps that something changed and when, but no longer who the person was."""
    from django.contrib.contenttypes.models import ContentType

    from cadre.core.models import AuditEntry

    personal = {"first_name", "last_name", "email", "employee_number", "job_title", "start_date", "full_name"}
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=object_id)
    for entry in entries:
        entry.object_repr = replacement
        if isinstance(entry.changes, dict):
            entry.changes = {k: (["(erased)", "(erased)"] if k in personal else v) for k, v in entry.changes.items()}
        entry.changes_text = ""
        entry.save(update_fields=["object_repr", "changes", "changes_text"])


privacy.register(app="people", export=_export, erase=_erase)
