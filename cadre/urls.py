from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from cadre.api.urls import api
from cadre.core import views as core_views
from cadre.core.converters import DatabaseId

register_converter(DatabaseId, "id")

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url="/static/core/favicon.svg", permanent=True)),
    path("", core_views.home, name="home"),
    path("help/", core_views.help_page, name="help"),
    path("outbox/", core_views.outbox, name="outbox"),
    path("outbox/<str:message_id>/", core_views.outbox_detail, name="outbox_detail"),
    path("audit/", core_views.audit_log, name="audit_log"),
    path("roles/", core_views.roles, name="roles"),
    path("invitations/<str:token>/", core_views.invitation, name="invitation_accept"),
    path("frameworks/", include("cadre.frameworks.editing.urls")),
    path("people/", include("cadre.people.urls")),
    path("catalogue/", include("cadre.catalogue.urls")),
    path("learning/", include("cadre.learning.urls")),
    path("programmes/", include("cadre.programmes.urls")),
    path("badges/", include("cadre.credentials.urls")),
    path("mentoring/", include("cadre.mentoring.urls")),
    path("groups/", include("cadre.groups.urls")),
    path("frameworks/", include("cadre.frameworks.urls")),
    path("", include("cadre.diagnostics.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
