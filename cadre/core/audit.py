"""The audit log: who changed what, when, before and after.

django-auditlog records every save of a registered model (with the actor from the request or
from `acting_as`). Bulk work, such as an import, writes its entries with `audit_bulk` in one
statement instead. 360 answers and equality data are never registered here: their apps record
named events only (`audit_event`), never values or who answered."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from auditlog.context import disable_auditlog, set_actor
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


def organisation_id_of(instance: models.Model) -> int | None:
    """The organisation an audited object belongs to, for scoping the log."""
    from cadre.core.models import Organisation

    if isinstance(instance, Organisation):
        return instance.pk
    return getattr(instance, "organisation_id", None)


@contextmanager
def acting_as(actor) -> Iterator[None]:
    """Attribute saves inside the block to `actor` (for commands and tasks, outside a request)."""
    if actor is None:
        yield
        return
    with set_actor(actor):
        yield


def audit_event(*, actor, event: str, target: models.Model, organisation_id: int | None = None, data=None):
    """Record a named event (for example `campaign.report_released`), with optional non-personal data."""
    from cadre.core.models import AuditEntry

    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_pk=str(target.pk),
        object_id=target.pk if isinstance(target.pk, int) else None,
        object_repr=str(target)[:500],
        action=AuditEntry.Action.UPDATE,
        changes=data or {},
        actor=actor if getattr(actor, "pk", None) else None,
        event=event,
        organisation_id=organisation_id if organisation_id is not None else organisation_id_of(target),
        timestamp=timezone.now(),
    )


def audit_bulk(
    *,
    actor,
    event: str,
    model: type[models.Model],
    organisation_id: int | None,
    entries: Iterable[tuple[int, str, int, dict]],
    batch_size: int = 2000,
) -> int:
    """Write many entries at once: each entry is (object id, text, action, changes), where
    changes maps a field to [before, after]."""
    from cadre.core.models import AuditEntry

    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    rows = [
        AuditEntry(
            content_type=content_type,
            object_pk=str(object_id),
            object_id=object_id,
            object_repr=text[:500],
            action=action,
            changes=changes,
            actor_id=actor_id,
            event=event,
            organisation_id=organisation_id,
            timestamp=now,
        )
        for object_id, text, action, changes in entries
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


__all__ = [
    "acting_as",
    "audit_bulk",
    "audit_event",
    "auditlog",
    "disable_auditlog",
    "organisation_id_of",
    "register_fields",
]


def register_fields(model: type[models.Model], *, leave_out: set[str] = frozenset()) -> None:
    """Audit a model's own columns (not reverse relations, which auditlog would otherwise list)."""
    skip = {"id", "created_at", "updated_at", *leave_out}
    auditlog.register(model, include_fields=[f.name for f in model._meta.concrete_fields if f.name not in skip])


def _register() -> None:
    from cadre.core.models import Department, Membership, Network, NetworkMembership, Organisation, User

    for model in (Organisation, Network, NetworkMembership, Department, Membership):
        register_fields(model)
    register_fields(User, leave_out={"password", "last_login", "date_joined"})


_register()
