from django.urls import path

from cadre.credentials import views

app_name = "credentials"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("verify/", views.verify_page, name="verify"),
    path("issued/", views.issued, name="issued"),
    path("issuers/<slug:slug>/", views.issuer, name="issuer"),
    path("issuers/<slug:slug>/jwks.json", views.jwks, name="jwks"),
    path("issuers/<slug:slug>/keys/<slug:kid>/", views.key, name="key"),
    path("<uuid:credential_id>/", views.credential, name="credential"),
    path("<uuid:credential_id>/credential.jwt", views.credential_jwt, name="jwt"),
    path("<uuid:credential_id>/credential.json", views.credential_json, name="json"),
    path("<uuid:credential_id>/certificate.pdf", views.certificate_pdf, name="pdf"),
    path("<uuid:credential_id>/withdraw/", views.revoke, name="revoke"),
]
