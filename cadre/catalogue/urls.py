from django.urls import path

from cadre.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue, name="list"),
    path("new/", views.offering_new, name="new"),
    path("coverage/", views.coverage, name="coverage"),
    path("<id:offering_id>/", views.offering, name="offering"),
    path("<id:offering_id>/edit/", views.offering_edit, name="edit"),
]
