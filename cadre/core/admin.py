"""The Django admin is for platform administrators (is_staff). Everyday work happens in Cadre's pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from cadre.core.models import (
    AuditEntry,
    Department,
    Invitation,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    User,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through Cadre's own pages and rules."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = []
    list_filter = ["is_active", "is_staff", "is_superuser"]


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "type", "created_at"]
    search_fields = ["name", "slug"]
    list_filter = ["type"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind"]
    inlines = [NetworkMembershipInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "parent"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    list_select_related = ["organisation", "parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "granted_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__email"]
    list_select_related = ["user", "organisation"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]
    readonly_fields = ["created_at", "accepted_at"]
    raw_id_fields = ["person", "invited_by"]


# django-auditlog registers its own admin for the entry model; Cadre's is stricter.
if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log cannot be edited, even by a platform administrator."""

    list_display = ["timestamp", "event", "action", "object_repr", "actor", "organisation"]
    list_filter = ["action", "event", "organisation"]
    list_select_related = ["actor", "organisation", "content_type"]
    search_fields = ["object_repr"]
    date_hierarchy = "timestamp"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
