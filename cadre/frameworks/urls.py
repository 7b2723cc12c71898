from django.urls import path

from cadre.frameworks import adoption_views, views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list_view, name="list"),
    path("expected/", views.expected_view, name="expected"),
    path("tiers/<id:tier_id>/", views.tier_by_id_view, name="tier_by_id"),
    path("people/<id:person_id>/tier/", views.person_tier_view, name="person_tier"),
    path("<id:framework_id>/", views.framework_view, name="framework"),
    path("<id:framework_id>/versions/<id:number>/", views.framework_view, name="version"),
    path("<id:framework_id>/versions/<id:number>/matrix/", views.matrix_view, name="matrix"),
    path("<id:framework_id>/versions/<id:number>/attributes/<slug:key>/", views.attribute_view, name="attribute"),
    path("<id:framework_id>/versions/<id:number>/tiers/<slug:key>/", views.tier_view, name="tier"),
]
urlpatterns += adoption_views.urlpatterns
