from django.urls import path

from cadre.mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("profile/", views.profile, name="profile"),
    path("requests/<id:request_id>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("proposals/<id:proposal_id>/", views.proposal, name="proposal"),
    path("relationships/<id:relationship_id>/", views.relationship, name="relationship"),
    path("relationships/<id:relationship_id>/sessions/", views.relationship_session, name="relationship_session"),
    path("relationships/<id:relationship_id>/close/", views.relationship_close, name="relationship_close"),
    path("schemes/", views.schemes, name="schemes"),
    path("schemes/new/", views.scheme_new, name="scheme_new"),
    path("schemes/<id:scheme_id>/", views.scheme, name="scheme"),
    path("schemes/<id:scheme_id>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<id:scheme_id>/request/", views.request_form, name="request"),
    path("schemes/<id:scheme_id>/rounds/", views.round_start, name="round_start"),
    path("rounds/<id:round_id>/", views.round_page, name="round"),
    path("rounds/<id:round_id>/run/", views.round_run, name="round_run"),
    path("rounds/<id:round_id>/pin/", views.round_pin, name="round_pin"),
    path("rounds/<id:round_id>/forbid/", views.round_forbid, name="round_forbid"),
    path("rounds/<id:round_id>/allow/", views.round_rule_remove, name="round_rule_remove"),
    path("rounds/<id:round_id>/send/", views.round_send, name="round_send"),
]
