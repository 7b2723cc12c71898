from django.urls import path

from cadre.groups import views

app_name = "groups"

urlpatterns = [
    path("", views.administer, name="list"),
    path("mine/", views.mine, name="mine"),
    path("form/", views.forming_new, name="form"),
    path("formings/<id:forming_id>/", views.forming, name="forming"),
    path("formings/<id:forming_id>/save/", views.forming_save, name="forming_save"),
    path("sets/<id:set_id>/", views.set_page, name="set"),
    path("sets/<id:set_id>/facilitator/", views.facilitator, name="facilitator"),
    path("sets/<id:set_id>/members/<id:member_id>/move/", views.move, name="move"),
    path("sets/<id:set_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("sets/<id:set_id>/rota/", views.rota_generate, name="rota"),
    path("meetings/<id:meeting_id>/", views.meeting, name="meeting"),
    path("meetings/<id:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<id:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<id:conflict_id>/withdraw/", views.conflict_withdraw, name="conflict_withdraw"),
]
