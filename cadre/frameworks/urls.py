from django.urls import path

from cadre.frameworks import adoption_views, views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list_view, name="list"),
    path("expected/", views.expected_view, name="expected"),
    path("tiers/<int:tier_id>/", views.tier_by_id_view, name="tier_by_id"),
    path("people/<int:person_id>/tier/", views.person_tier_view, name="person_tier"),
    path("<int:framework_id>/", views.framework_view, name="framework"),
    path("<int:framework_id>/versions/<int:number>/", views.framework_view, name="version"),
    path("<int:framework_id>/versions/<int:number>/matrix/", views.matrix_view, name="matrix"),
    path("<int:framework_id>/versions/<int:number>/attributes/<slug:key>/", views.attribute_view, name="attribute"),
    path("<int:framework_id>/versions/<int:number>/tiers/<slug:key>/", views.tier_view, name="tier"),
]
urlpatterns += adoption_views.urlpatterns
