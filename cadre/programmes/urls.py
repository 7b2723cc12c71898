from cadre.programmes.views import applications, design, evaluation, portfolio, sessions

app_name = "programmes"

urlpatterns = [
    *design.urlpatterns,
    *applications.urlpatterns,
    *sessions.urlpatterns,
    *portfolio.urlpatterns,
    *evaluation.urlpatterns,
]
