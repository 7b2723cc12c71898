"""The admin shows campaigns and subjects, read-only, with counts. Responses, ratings and comments
have no admin pages at all: no list anywhere pairs a rater with what they said."""

from django.contrib import admin
from django.db.models import Count, Q

from cadre.core.admin import ReadOnlyAdmin
from cadre.diagnostics.models import Campaign, Subject


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "kind", "status", "closes_on", "subject_count", "answered"]
    list_filter = ["kind", "status"]
    list_select_related = ["organisation"]
    exclude = ["created_by"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                subject_count=Count("subjects", distinct=True),
                answered=Count("subjects__responses", filter=Q(subjects__responses__status="submitted"), distinct=True),
            )
        )

    @admin.display(description="People asked about")
    def subject_count(self, campaign) -> int:
        return campaign.subject_count

    @admin.display(description="Answers")
    def answered(self, campaign) -> int:
        return campaign.answered


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ["person", "campaign", "nominations", "released_at"]
    list_select_related = ["person", "campaign"]
    fields = ["campaign", "person", "tier", "nominations", "released_at", "debrief_held_on"]
