from django.contrib import admin

from cadre.frameworks.models import Attribute, Framework, FrameworkVersion, GradeMapping, Tier


class GradeMappingInline(admin.TabularInline):
    model = GradeMapping
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "sharing", "owner_organisation", "owner_network", "audience"]
    list_filter = ["sharing"]
    list_select_related = ["owner_organisation", "owner_network"]


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    """Read-only: versions change only through Cadre's pages, which keep published ones as they are."""

    list_display = ["framework", "number", "status", "published_at"]
    list_filter = ["status"]
    list_select_related = ["framework"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["name", "rank", "version", "organisation"]
    list_select_related = ["version__framework", "organisation"]
    inlines = [GradeMappingInline]


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "status", "is_focus"]
    list_select_related = ["version__framework"]
