"""The personal-data registry: each app says how to export and how to erase one person's data.

Export gathers every app's section into one JSON document. Erasure anonymises the person in
every app while keeping aggregate figures (counts, averages) intact: rows stay, identities go."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction


@dataclass(frozen=True)
class PrivacyHandler:
    app: str
    export: Callable[[Any], dict]
    erase: Callable[[Any], None]


_registry: dict[str, PrivacyHandler] = {}


def register(*, app: str, export: Callable[[Any], dict], erase: Callable[[Any], None]) -> None:
    _registry[app] = PrivacyHandler(app=app, export=export, erase=erase)


def registered_apps() -> list[str]:
    return sorted(_registry)


def person_export(*, person, actor) -> dict:
    """One person's data from every app, as a JSON-ready dictionary."""
    from cadre.core.audit import audit_event

    document = {"format": "cadre-person-export/1", "sections": {}}
    for app in registered_apps():
        document["sections"][app] = _registry[app].export(person)
    audit_event(actor=actor, event="person.exported", target=person)
    return document


def person_erase(*, person, actor) -> None:
    """Anonymise the person everywhere. Irreversible; recorded as an event."""
    from cadre.core.audit import audit_event, disable_auditlog

    with transaction.atomic():
        with disable_auditlog():
            for app in registered_apps():
                _registry[app].erase(person)
        audit_event(actor=actor, event="person.erased", target=person)
