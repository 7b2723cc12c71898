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
    person.first_name = "Erased"
    person.last_name = f"person {person.pk}"
    person.email = ""
    person.employee_number = None
    person.job_title = ""
    person.start_date = None
    person.user = None
    person.save()
    _scrub_audit(person)
    if user is not None:
        user.email = f"erased-{user.pk}@invalid.example"
        user.full_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        user.memberships.all().delete()
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator
        from allauth.socialaccount.models import SocialAccount

        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()


def _scrub_audit(person) -> None:
    """The audit log keeps that something changed and when, but no longer who the person was."""
    from django.contrib.contenttypes.models import ContentType

    from cadre.core.models import AuditEntry

    personal = {"first_name", "last_name", "email", "employee_number", "job_title", "start_date"}
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(person)), object_id=person.pk
    )
    for entry in entries:
        entry.object_repr = f"Erased person {person.pk}"
        if isinstance(entry.changes, dict):
            entry.changes = {k: (["(erased)", "(erased)"] if k in personal else v) for k, v in entry.changes.items()}
        entry.changes_text = ""
        entry.save(update_fields=["object_repr", "changes", "changes_text"])


privacy.register(app="people", export=_export, erase=_erase)
