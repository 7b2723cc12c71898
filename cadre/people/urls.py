from django.urls import path

from cadre.people import views

app_name = "people"
urlpatterns = [
    path("", views.people_list_view, name="list"),
    path("<id:person_id>/", views.person_view, name="detail"),
    path("<id:person_id>/export/", views.person_export_view, name="export"),
    path("<id:person_id>/erase/", views.person_erase_view, name="erase"),
    path("<id:person_id>/invite/", views.person_invite_view, name="invite"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<id:import_id>/", views.import_preview_view, name="import_preview"),
    path("import/<id:import_id>/confirm/", views.import_confirm_view, name="import_confirm"),
    path("import/<id:import_id>/cancel/", views.import_cancel_view, name="import_cancel"),
    path("import/<id:import_id>/progress/", views.import_progress_view, name="import_progress"),
]
