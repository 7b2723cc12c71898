from django.urls import path

from cadre.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("to-decide/", views.to_decide, name="to_decide"),
    path("request/<id:offering_id>/", views.request_new, name="request"),
    path("requests/<id:request_id>/", views.detail, name="detail"),
    path("requests/<id:request_id>/cancel/", views.cancel, name="cancel"),
    path("requests/<id:request_id>/decide/", views.decide, name="decide"),
    path("requests/<id:request_id>/complete/", views.complete, name="complete"),
    path("requests/<id:request_id>/provider-link/", views.provider_link, name="provider_link"),
    path("requests/<id:request_id>/evidence/", views.evidence, name="evidence"),
    path("people/<id:person_id>/", views.record, name="record"),
    path("people/<id:person_id>/record.<str:file_format>", views.record_download, name="record_download"),
    # The provider's personal link: no account needed.
    path("provider/<id:request_id>/<str:token>/", views.provider, name="provider"),
]
