"""How the groups app exports and erases one person's data.

The export lists the groups the person is in, the meetings they attended or sent apologies for,
their turns on the rota and the conflicts they declared. It holds no words from any group's
private log, not even their own: an export is made by an administrator, and the log is for the
group's members and facilitator only (they read it on the group's page). It says how many
entries the person wrote, so that nothing is hidden about what is held."""

from cadre.core import privacy
from cadre.groups.models import Conflict, LogEntry, MeetingAttendance, RotaTurn, SetMember


def _export(person) -> dict:
    memberships = SetMember.objects.filter(person=person).select_related("learning_set__facilitator")
    attendance = MeetingAttendance.objects.filter(member__person=person).select_related("meeting__learning_set")
    turns = RotaTurn.objects.filter(member__person=person).select_related("meeting__learning_set")
    declared = Conflict.objects.filter(person=person, declared_by__person=person).select_related("other")
    written = LogEntry.objects.filter(author__person=person).count() if person.user_id else 0
    return {
        "groups": [
            {
                "name": m.learning_set.name,
                "kind": m.learning_set.get_kind_display(),
                "joined": m.joined_at.isoformat(),
                "facilitator": m.learning_set.facilitator.email if m.learning_set.facilitator_id else None,
            }
            for m in memberships
        ],
        "attendance": [
            {
                "group": a.meeting.learning_set.name,
                "meeting": a.meeting.starts_at.isoformat(),
                "status": a.get_status_display(),
            }
            for a in attendance
        ],
        "rota": [{"group": t.meeting.learning_set.name, "meeting": t.meeting.starts_at.isoformat()} for t in turns],
        "conflicts_declared": [{"kept_apart_from": c.other.full_name, "reason": c.reason} for c in declared],
        "log_entries_written": written,
        "log_note": "Entries in a group's private log are shown only to its members and facilitator, on its pages.",
    }


def _erase(person) -> None:
    """Their words and declarations go; membership and attendance rows stay (without a name, once
    the people app anonymises the person) so that the groups' counts still add up."""
    Conflict.objects.filter(person=person).delete()
    Conflict.objects.filter(other=person).delete()
    if person.user_id:
        LogEntry.objects.filter(author_id=person.user_id).delete()
    LogEntry.objects.filter(owner=person).update(owner=None)
    RotaTurn.objects.filter(member__person=person).delete()


privacy.register(app="groups", export=_export, erase=_erase)
