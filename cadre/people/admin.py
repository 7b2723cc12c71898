from django.contrib import admin

from cadre.people.models import Person, PersonImport


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "employee_number", "organisation", "job_title", "tier", "role_type", "status"]
    list_filter = ["organisation", "status", "role_type", "tier"]
    search_fields = ["first_name", "last_name", "employee_number", "email"]
    list_select_related = ["organisation", "tier"]
    raw_id_fields = ["line_manager", "endorser", "user", "department", "tier"]


@admin.register(PersonImport)
class PersonImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "organisation", "mode", "status", "created_at"]
    list_filter = ["status", "organisation"]
    exclude = ["content", "outcomes"]
    readonly_fields = ["organisation", "created_by", "filename", "mode", "status", "counts", "problems", "error"]

    def has_add_permission(self, request) -> bool:
        return False
