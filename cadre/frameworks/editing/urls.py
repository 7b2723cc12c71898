from django.urls import path

from cadre.frameworks.editing import importing, views

app_name = "framework_editing"

_F = "manage/<id:framework_id>/"

urlpatterns = [
    path("manage/", views.framework_list, name="list"),
    path("manage/new/", views.framework_new, name="framework_new"),
    path("manage/import/", importing.import_upload, name="import_upload"),
    path("manage/import/<str:token>/", importing.import_preview, name="import_preview"),
    path("manage/import/<str:token>/confirm/", importing.import_confirm, name="import_confirm"),
    path("manage/import/<str:token>/cancel/", importing.import_cancel, name="import_cancel"),
    path(_F, views.framework_view, name="framework"),
    path(_F + "details/", views.framework_edit, name="framework_edit"),
    path(_F + "versions/", views.versions, name="versions"),
    path(_F + "versions/<id:version_id>/change-note/", views.change_note_edit, name="change_note_edit"),
    path(_F + "publish/", views.publish, name="publish"),
    path(_F + "new-draft/", views.new_draft, name="new_draft"),
    path(_F + "attributes/new/", views.attribute_new, name="attribute_new"),
    path(_F + "attributes/<id:attribute_id>/", views.attribute_view, name="attribute"),
    path(_F + "attributes/<id:attribute_id>/edit/", views.attribute_edit, name="attribute_edit"),
    path(_F + "attributes/<id:attribute_id>/delete/", views.attribute_delete, name="attribute_delete"),
    path(_F + "attributes/<id:attribute_id>/mapping/", views.attribute_mapping, name="attribute_mapping"),
    path(_F + "attributes/<id:attribute_id>/indicators/new/", views.indicator_new, name="indicator_new"),
    path(_F + "indicators/<id:indicator_id>/", views.indicator_edit, name="indicator_edit"),
    path(_F + "indicators/<id:indicator_id>/delete/", views.indicator_delete, name="indicator_delete"),
    path(_F + "tiers/new/", views.tier_new, name="tier_new"),
    path(_F + "tiers/<id:tier_id>/", views.tier_edit, name="tier_edit"),
    path(_F + "tiers/<id:tier_id>/delete/", views.tier_delete, name="tier_delete"),
    path(_F + "values/new/", views.value_new, name="value_new"),
    path(_F + "values/<id:value_id>/", views.value_edit, name="value_edit"),
    path(_F + "values/<id:value_id>/delete/", views.value_delete, name="value_delete"),
    path(_F + "channels/new/", views.channel_new, name="channel_new"),
    path(_F + "channels/<id:channel_id>/", views.channel_edit, name="channel_edit"),
    path(_F + "channels/<id:channel_id>/delete/", views.channel_delete, name="channel_delete"),
    path(_F + "definitions/new/", views.definition_new, name="definition_new"),
    path(_F + "definitions/<id:definition_id>/", views.definition_edit, name="definition_edit"),
    path(_F + "definitions/<id:definition_id>/delete/", views.definition_delete, name="definition_delete"),
]
