"""Groups in the Django admin, read-only, for platform administrators. The private log of a group
(`LogEntry`) is not registered, and no page here shows it or a conflict's reason."""

from django.contrib import admin

from cadre.core.admin import ReadOnlyAdmin
from cadre.groups.models import Forming, LearningSet, Meeting


@admin.register(Forming)
class FormingAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "status", "size", "created_at"]
    fields = ["name", "organisation", "kind", "size", "seed", "status", "objective", "random_objective", "created_at"]


@admin.register(LearningSet)
class LearningSetAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "kind", "facilitator"]
    fields = ["name", "organisation", "kind", "facilitator", "forming", "created_at"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["learning_set", "starts_at", "ends_at", "cancelled"]
    fields = ["learning_set", "starts_at", "ends_at", "venue", "online_link", "cancelled", "sequence"]
