from django.contrib import admin

from cadre.frameworks.models import GradeMapping, Tier


class GradeMappingInline(admin.TabularInline):
    model = GradeMapping
    extra = 0


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["name", "rank", "organisation"]
    list_filter = ["organisation"]
    inlines = [GradeMappingInline]
