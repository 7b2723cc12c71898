"""Credential pages. Public, no sign-in: a credential's page and its downloads, the checking page,
the issuer's profile and public keys. Signed in: your own credentials; for administrators, those
their organisation issued, and withdrawing one."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.forms import add_problems
from cadre.core.models import Organisation
from cadre.credentials import openbadges, selectors, services
from cadre.credentials.forms import RevokeForm, VerifyForm
from cadre.credentials.models import Credential
from cadre.credentials.verification import issuer_url, key_url, verify

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 50


def _public_credential(credential_id) -> Credential:
    credential = selectors.credential_public(credential_id)
    if credential is None:
        raise Http404("No such credential.")
    return credential


def _file_name(credential: Credential, extension: str) -> str:
    return f"{slugify(f'{credential.achievement_name} {credential.recipient_name}')[:80] or 'credential'}.{extension}"


@require_GET
def credential(request, credential_id):
    found = _public_credential(credential_id)
    outcome = verify(found.jwt) if found.jwt else None
    return render(
        request,
        "credentials/credential.html",
        {
            "credential": found,
            "outcome": outcome,
            "erased": not found.jwt,
            "issuer_url": issuer_url(found.organisation),
        },
    )


@require_GET
def credential_jwt(request, credential_id):
    found = _public_credential(credential_id)
    if not found.jwt:
        raise Http404("This credential has been withdrawn.")
    response = HttpResponse(found.jwt, content_type="application/jwt")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(found, "jwt")}"'
    return response


@require_GET
def credential_json(request, credential_id):
    found = _public_credential(credential_id)
    if not found.jwt:
        raise Http404("This credential has been withdrawn.")
    response = HttpResponse(
        json.dumps(credential_document(found), indent=2, ensure_ascii=False), content_type="application/ld+json"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(found, "json")}"'
    return response


def credential_document(found: Credential) -> dict:
    """The credential as signed (the JWT's payload, without the JWT claims)."""
    import jwt

    return openbadges.credential_from_claims(jwt.decode(found.jwt, options={"verify_signature": False}))


@require_GET
def certificate_pdf(request, credential_id):
    from weasyprint import HTML

    found = _public_credential(credential_id)
    if not found.jwt or found.revoked_at is not None:
        raise Http404("This credential has been withdrawn.")
    html = render_to_string(
        "credentials/certificate_pdf.html", {"credential": found, "page_url": page_url(found)}, request=request
    )
    # Tagged (PDF/UA-1), so screen readers read it in order, as the 360 reports are.
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(found, "pdf")}"'
    return response


def page_url(found: Credential) -> str:
    """The credential's public address, as the certificate prints it."""
    return settings.SITE_URL + reverse("credentials:credential", args=[found.pk])


@GET_POST
def verify_page(request):
    """Anyone pastes or uploads a signed credential and is told whether it holds, and if not, why."""
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            outcome = verify(form.cleaned_data["credential"])
            email = form.cleaned_data.get("email")
            email_matches = (
                openbadges.is_awarded_to_email(outcome.credential, email) if email and outcome.credential else None
            )
            return render(
                request,
                "credentials/verify_result.html",
                {"outcome": outcome, "email": email, "email_matches": email_matches},
            )
    else:
        form = VerifyForm()
    return render(request, "credentials/verify.html", {"form": form})


def _issuing_organisation(slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug[:60])
    if not selectors.issuer_keys_of(organisation).exists():
        raise Http404("This organisation has not issued credentials.")
    return organisation


def _wants_json(request) -> bool:
    if request.GET.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    return "json" in accept and "text/html" not in accept


@require_GET
def issuer(request, slug: str):
    """The issuer's Open Badges 3.0 Profile: JSON for software, a page for people."""
    organisation = _issuing_organisation(slug)
    profile = openbadges.issuer_profile(issuer_id=issuer_url(organisation), name=organisation.name)
    if _wants_json(request):
        response = JsonResponse(profile, json_dumps_params={"indent": 2, "ensure_ascii": False})
        response["Content-Type"] = "application/ld+json"
        response["Vary"] = "Accept"
        return response
    keys = list(selectors.issuer_keys_of(organisation))
    response = render(
        request, "credentials/issuer.html", {"organisation": organisation, "profile": profile, "keys": keys}
    )
    response["Vary"] = "Accept"
    return response


def _jwk(key) -> dict:
    return {**key.public_jwk, "kid": key_url(key), "use": "sig", "alg": "EdDSA"}


@require_GET
def jwks(request, slug: str):
    """The organisation's public keys (a JSON Web Key Set), retired ones included."""
    organisation = _issuing_organisation(slug)
    keys = [_jwk(key) for key in selectors.issuer_keys_of(organisation).select_related("organisation")]
    return JsonResponse({"keys": keys}, content_type="application/jwk-set+json")


@require_GET
def key(request, slug: str, kid: str):
    """One public key, as a JWK: what a credential's `kid` header points at."""
    organisation = _issuing_organisation(slug)
    found = get_object_or_404(selectors.issuer_keys_of(organisation).select_related("organisation"), kid=kid[:64])
    return JsonResponse(_jwk(found), content_type="application/jwk+json")


@login_required
@require_GET
def mine(request):
    return render(request, "credentials/mine.html", {"credentials": list(selectors.credentials_of(request.user))})


@login_required
@require_GET
def issued(request):
    """The credentials the user's organisations issued, newest first."""
    if not services.may_issue_anywhere(request.user):
        raise Http404("You do not issue credentials.")
    visible = selectors.credentials_issued_visible_to(request.user)
    page = Paginator(visible, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "credentials/issued.html", {"page": page, "credentials": list(page.object_list)})


@login_required
@GET_POST
def revoke(request, credential_id):
    found = selectors.credentials_issued_visible_to(request.user).filter(pk=credential_id).first()
    if found is None:
        raise Http404("No such credential.")
    if found.revoked_at is not None:
        messages.info(request, "This credential has already been withdrawn.")
        return redirect("credentials:credential", found.pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_revoke(credential=found, reason=form.cleaned_data["reason"], actor=request.user)
        except PermissionDenied as error:
            raise Http404("No such credential.") from error
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, "The credential has been withdrawn.")
            return redirect("credentials:credential", found.pk)
    return render(request, "credentials/revoke.html", {"credential": found, "form": form})
