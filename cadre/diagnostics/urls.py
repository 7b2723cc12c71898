from django.urls import path

from cadre.diagnostics import profile_views, report_views, views

app_name = "diagnostics"

urlpatterns = [
    path("diagnostics/", views.mine, name="mine"),
    path("diagnostics/self/start/", views.self_start, name="self_start"),
    path("diagnostics/self/compare/", report_views.self_compare, name="self_compare"),
    path("diagnostics/360/<id:subject_id>/raters/", views.nominate, name="nominate"),
    path("diagnostics/360/<id:subject_id>/raters/<id:response_id>/withdraw/", views.withdraw, name="withdraw"),
    path("diagnostics/360/<id:subject_id>/raters/send/", views.nominations_send, name="nominations_send"),
    path("diagnostics/360/<id:subject_id>/approve/", views.approve, name="approve"),
    path("diagnostics/360/<id:subject_id>/report/", report_views.report, name="report"),
    path("diagnostics/360/<id:subject_id>/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("diagnostics/360/<id:subject_id>/report.csv", report_views.report_csv, name="report_csv"),
    path("diagnostics/360/<id:subject_id>/report/share/", report_views.report_share, name="report_share"),
    path("diagnostics/team/", profile_views.team_profile, name="team"),
    path("diagnostics/organisation/", profile_views.organisation_heatmap, name="heatmap"),
    path(
        "diagnostics/organisation.<str:file_format>",
        profile_views.organisation_heatmap_download,
        name="heatmap_download",
    ),
    path("diagnostics/campaigns/teams/", views.team_diagnostics, name="team_diagnostics"),
    path(
        "diagnostics/campaigns/teams/<id:campaign_id>/close/",
        views.team_diagnostic_close,
        name="team_diagnostic_close",
    ),
    path("diagnostics/teams/<id:campaign_id>/", views.team_diagnostic_profile, name="team_diagnostic"),
    path("diagnostics/campaigns/rounds/", views.cycles, name="cycles"),
    path("diagnostics/campaigns/rounds/<id:cycle_id>/stop/", views.cycle_stop, name="cycle_stop"),
    path("diagnostics/campaigns/", views.campaigns, name="campaigns"),
    path("diagnostics/campaigns/new/", views.campaign_new, name="campaign_new"),
    path("diagnostics/campaigns/<id:campaign_id>/", views.campaign, name="campaign"),
    path("diagnostics/campaigns/<id:campaign_id>/questions/", views.campaign_questions, name="questions"),
    path("diagnostics/campaigns/<id:campaign_id>/launch/", views.campaign_launch, name="launch"),
    path("diagnostics/campaigns/<id:campaign_id>/close/", views.campaign_close, name="close"),
    path("diagnostics/campaigns/<id:campaign_id>/extend/", views.campaign_extend, name="extend"),
    path("diagnostics/campaigns/<id:campaign_id>/subjects/<id:subject_id>/release/", views.release, name="release"),
    path("diagnostics/campaigns/<id:campaign_id>/subjects/<id:subject_id>/debrief/", views.debrief, name="debrief"),
    # The personal link: no account needed.
    path("feedback/<id:response_id>/<str:token>/", views.answer, name="answer"),
    path("feedback/<id:response_id>/<str:token>/autosave/", views.autosave, name="autosave"),
    path("feedback/<id:response_id>/<str:token>/sent/", views.answered, name="answered"),
]
