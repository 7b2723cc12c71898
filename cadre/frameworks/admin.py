from django.contrib import admin

from cadre.core.admin import ReadOnlyAdmin
from cadre.frameworks.models import Attribute, Framework, FrameworkVersion, GradeMapping, Tier


class GradeMappingInline(admin.TabularInline):
    model = GradeMapping
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "sharing", "owner_organisation", "owner_network", "audience"]
    list_filter = ["sharing"]
    list_select_related = ["owner_organisation", "owner_network"]


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(ReadOnlyAdmin):
    list_display = ["framework", "number", "status", "published_at"]
    list_filter = ["status"]
    list_select_related = ["framework"]


@admin.register(Tier)
class TierAdmin(ReadOnlyAdmin):
    list_display = ["name", "rank", "version", "organisation"]
    list_select_related = ["version__framework", "organisation"]
    inlines = [GradeMappingInline]


@admin.register(Attribute)
class AttributeAdmin(ReadOnlyAdmin):
    list_display = ["name", "version", "status", "is_focus"]
    list_select_related = ["version__framework"]
