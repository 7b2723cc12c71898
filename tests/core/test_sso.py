"""Single sign-on: OpenID Connect end to end against a fake identity provider on this machine, SAML
signatures made and checked with xmlsec (proving the xmlsec and lxml builds work together), the
matching of a sign-in to an imported person, and the settings read from the environment."""

import base64
import hashlib
import json
import re
import secrets
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.saml.utils import build_saml_config
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import RequestFactory
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from cadre.core.models import Membership, Role, User
from cadre.core.sso import form_action_origins, providers_from_environment, saml_apps
from cadre.people.models import Person
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

CLIENT_ID = "cadre-client"
CLIENT_SECRET = "s3cret-for-tests"


def html(response) -> str:
    return response.content.decode()


def signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# A fake OpenID Connect provider: a real HTTP server in a thread, on an ephemeral port.


class FakeProvider:
    """Serves discovery, a JWKS, a token endpoint that issues RS256 id_tokens for codes the test
    has granted (checking the client secret, redirect URI and PKCE verifier), and userinfo."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.grants: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.audience = CLIENT_ID
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeProvider":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def configuration(self) -> dict:
        return {
            "issuer": self.base,
            "authorization_endpoint": f"{self.base}/authorize",
            "token_endpoint": f"{self.base}/token",
            "userinfo_endpoint": f"{self.base}/userinfo",
            "jwks_uri": f"{self.base}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def id_token(self, claims: dict, *, key=None) -> str:
        now = int(time.time())
        payload = {"iss": self.base, "aud": self.audience, "iat": now, "exp": now + 300, **claims}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def grant(self, *, redirect_uri: str, code_challenge: str, claims: dict) -> str:
        """What the provider's sign-in page would do once the person has signed in there."""
        code = secrets.token_urlsafe(16)
        self.grants[code] = {"redirect_uri": redirect_uri, "code_challenge": code_challenge, "claims": claims}
        return code

    def _token(self, form: dict) -> tuple[int, dict]:
        self.token_requests.append(form)
        grant = self.grants.pop(form.get("code", ""), None)  # a code works once
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant["redirect_uri"]
            or b64url(hashlib.sha256(form.get("code_verifier", "").encode()).digest()) != grant["code_challenge"]
        ):
            return 400, {"error": "invalid_grant"}
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = grant["claims"]
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "id_token": self.id_token(grant["claims"]),
        }

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path == "/.well-known/openid-configuration":
                    self._send(200, provider.configuration())
                elif path == "/jwks":
                    self._send(200, provider.jwks())
                elif path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    claims = provider.tokens.get(token)
                    self._send(200, claims) if claims else self._send(401, {"error": "invalid_token"})
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path == "/token":
                    self._send(*provider._token(form))
                else:
                    self._send(404, {"error": "not_found"})

        return Handler


@pytest.fixture
def fake_provider(settings, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with FakeProvider() as provider:
        settings.SOCIALACCOUNT_PROVIDERS = providers_from_environment(
            {
                "CADRE_OIDC_PROVIDERS": "fake",
                "CADRE_OIDC_FAKE_NAME": "Fake Council ID",
                "CADRE_OIDC_FAKE_SERVER_URL": provider.base,
                "CADRE_OIDC_FAKE_CLIENT_ID": CLIENT_ID,
                "CADRE_OIDC_FAKE_SECRET": CLIENT_SECRET,
                "CADRE_OIDC_FAKE_ORGANISATIONS": "north-borough",
            }
        )
        yield provider


@pytest.fixture
def north_borough():
    return OrganisationFactory(slug="north-borough", name="North Borough Council")


def oidc_sign_in(client, provider: FakeProvider, claims: dict, process: str = "login"):
    """Drive the browser's part: the sign-in button, the redirect to the provider (whose page we
    skip: the provider 'grants' a code at once), then the callback with that code."""
    response = client.post(f"/accounts/oidc/fake/login/?process={process}")
    assert response.status_code == 302
    authorise = urlsplit(response["Location"])
    assert f"{authorise.scheme}://{authorise.netloc}{authorise.path}" == f"{provider.base}/authorize"
    query = {k: v[0] for k, v in parse_qs(authorise.query).items()}
    assert query["client_id"] == CLIENT_ID
    assert query["response_type"] == "code"
    assert "openid" in query["scope"].split() and "email" in query["scope"].split()
    assert query["code_challenge_method"] == "S256"
    assert query["redirect_uri"] == "http://testserver/accounts/oidc/fake/login/callback/"
    state = query["state"]
    assert len(state) >= 12

    code = provider.grant(redirect_uri=query["redirect_uri"], code_challenge=query["code_challenge"], claims=claims)
    return client.get(urlsplit(query["redirect_uri"]).path, {"code": code, "state": state})


def claims_for(email: str, sub: str | None = None) -> dict:
    return {
        "sub": sub or str(uuid.uuid4()),
        "email": email,
        "name": "Sam Okafor",
        "given_name": "Sam",
        "family_name": "Okafor",
    }


def test_an_imported_person_signs_in_with_openid_connect_and_gets_a_login(client, fake_provider, north_borough):
    person = PersonFactory(organisation=north_borough, email="sam.okafor@north-borough.gov.uk")
    claims = claims_for("Sam.Okafor@north-borough.gov.uk")

    response = oidc_sign_in(client, fake_provider, claims)

    assert response.status_code == 302, html(response)
    assert response["Location"] == "/"
    user = signed_in_user(client)
    assert user is not None and user.email == "sam.okafor@north-borough.gov.uk"
    person.refresh_from_db()
    assert person.user == user
    assert Membership.objects.filter(user=user, organisation=north_borough, role=Role.MEMBER).exists()
    assert SocialAccount.objects.get(user=user).uid == claims["sub"]
    assert not user.has_usable_password()
    # The provider vouched for the address, so it counts as confirmed (two-factor setup needs that).
    assert EmailAddress.objects.get(user=user).verified
    # The token request carried the client secret and the PKCE verifier, and the code was spent.
    assert fake_provider.token_requests[-1]["client_secret"] == CLIENT_SECRET
    assert fake_provider.grants == {}

    # Next time, the same provider account signs in to the same login.
    client.post("/accounts/logout/")
    assert oidc_sign_in(client, fake_provider, claims).status_code == 302
    assert signed_in_user(client) == user
    assert User.objects.filter(email__iexact=claims["email"]).count() == 1


def test_a_person_sees_and_keeps_their_organisation_account(client, fake_provider, north_borough):
    PersonFactory(organisation=north_borough, email="bo@north-borough.gov.uk")
    assert oidc_sign_in(client, fake_provider, claims_for("bo@north-borough.gov.uk")).status_code == 302

    page = html(client.get("/accounts/3rdparty/"))
    assert len(re.findall(r"<h1[\s>]", page)) == 1
    assert "Fake Council ID" in page
    assert "govuk-template__body" in page

    # With no password, the only way in cannot be disconnected.
    account = SocialAccount.objects.get()
    response = client.post("/accounts/3rdparty/", {"account": account.pk})
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "This account is your only way to sign in. Set a password before you disconnect it." in page
    assert SocialAccount.objects.filter(pk=account.pk).exists()


def test_a_signed_in_person_connects_their_organisation_account(client, fake_provider, north_borough):
    user = UserFactory(email="rae@north-borough.gov.uk")
    PersonFactory(organisation=north_borough, email=user.email, user=user)
    client.force_login(user)

    response = oidc_sign_in(client, fake_provider, claims_for("RAE@north-borough.gov.uk"), process="connect")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/"
    assert SocialAccount.objects.get().user == user


def test_an_account_with_someone_elses_address_cannot_be_connected(client, fake_provider, north_borough):
    user = UserFactory(email="rae@north-borough.gov.uk")
    PersonFactory(organisation=north_borough, email=user.email, user=user)
    PersonFactory(organisation=north_borough, email="director@north-borough.gov.uk")
    client.force_login(user)

    response = oidc_sign_in(client, fake_provider, claims_for("director@north-borough.gov.uk"), process="connect")

    assert response.status_code == 403
    assert not SocialAccount.objects.exists()
    assert not Person.objects.filter(email="director@north-borough.gov.uk", user__isnull=False).exists()


def test_a_person_who_already_has_a_login_is_signed_in_to_it(client, fake_provider, north_borough):
    user = UserFactory(email="ola@north-borough.gov.uk")
    person = PersonFactory(organisation=north_borough, email=user.email, user=user)

    response = oidc_sign_in(client, fake_provider, claims_for(user.email))

    assert response.status_code == 302
    assert signed_in_user(client) == user
    assert SocialAccount.objects.filter(user=user, provider="fake").exists()
    person.refresh_from_db()
    assert person.user == user
    assert user.has_usable_password()  # signing in this way does not take the password away


def test_cadre_still_asks_for_its_own_two_factor_code_after_single_sign_on(client, fake_provider, north_borough):
    user = UserFactory(email="ali@north-borough.gov.uk")
    PersonFactory(organisation=north_borough, email=user.email, user=user)
    TOTP.activate(user, generate_totp_secret())

    response = oidc_sign_in(client, fake_provider, claims_for(user.email))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user(client) is None


def test_a_login_made_by_invitation_is_linked_to_the_person(client, fake_provider, north_borough):
    user = UserFactory(email="kim@north-borough.gov.uk")
    person = PersonFactory(organisation=north_borough, email=user.email)  # not linked yet

    assert oidc_sign_in(client, fake_provider, claims_for(user.email)).status_code == 302

    assert signed_in_user(client) == user
    person.refresh_from_db()
    assert person.user == user


@pytest.mark.parametrize("kind", ["platform administrator", "admin site user", "administrator elsewhere"])
def test_an_imported_record_cannot_open_a_more_powerful_login(client, fake_provider, north_borough, kind):
    """Someone imports a person with the address of a login that reaches beyond the organisation:
    the organisation's identity provider must not be able to sign in as that login."""
    from cadre.core.models import Membership, Role
    from tests.factories import OrganisationFactory

    user = UserFactory(email="powerful@north-borough.gov.uk")
    if kind == "platform administrator":
        user.is_superuser = True
    elif kind == "admin site user":
        user.is_staff = True
    else:
        Membership.objects.create(user=user, organisation=OrganisationFactory(), role=Role.ORG_ADMIN)
    user.save()
    person = PersonFactory(organisation=north_borough, email=user.email)

    response = oidc_sign_in(client, fake_provider, claims_for(user.email))

    assert response.status_code == 403
    assert signed_in_user(client) is None
    person.refresh_from_db()
    assert person.user is None


def test_an_email_cadre_does_not_know_is_refused(client, fake_provider, north_borough):
    PersonFactory(organisation=north_borough, email="someone.else@north-borough.gov.uk")

    response = oidc_sign_in(client, fake_provider, claims_for("stranger@example.com"))

    page = html(response)
    assert response.status_code == 403
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="stranger@example.com").exists()
    assert not SocialAccount.objects.exists()
    assert "You cannot sign in to Cadre with this account" in page
    assert "stranger@example.com" in page
    assert len(re.findall(r"<h1[\s>]", page)) == 1


@pytest.mark.parametrize(
    "case",
    ["person has left", "person is in an organisation the provider does not serve", "no email from the provider"],
)
def test_sign_in_is_refused_for_people_the_provider_may_not_vouch_for(client, fake_provider, north_borough, case):
    email = "pat@north-borough.gov.uk"
    if case == "person has left":
        PersonFactory(organisation=north_borough, email=email, status=Person.Status.LEFT)
    elif case == "person is in an organisation the provider does not serve":
        PersonFactory(organisation=OrganisationFactory(slug="south-borough"), email=email)
    else:
        PersonFactory(organisation=north_borough, email=email)
        email = ""

    response = oidc_sign_in(client, fake_provider, claims_for(email))

    assert response.status_code == 403
    assert signed_in_user(client) is None
    assert not Person.objects.filter(user__isnull=False).exists()


def test_a_provider_serving_every_organisation_signs_in_staff_of_any(client, settings, fake_provider):
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"]["organisations"] = ["*"]
    person = PersonFactory(organisation=OrganisationFactory(slug="east-borough"), email="eve@east-borough.gov.uk")

    assert oidc_sign_in(client, fake_provider, claims_for(person.email)).status_code == 302

    person.refresh_from_db()
    assert signed_in_user(client) == person.user


def test_a_provider_account_linked_to_someone_else_cannot_take_over_a_person(client, fake_provider, north_borough):
    first = PersonFactory(organisation=north_borough, email="first@north-borough.gov.uk")
    PersonFactory(organisation=north_borough, email="second@north-borough.gov.uk")
    sub = "the-same-subject"
    assert oidc_sign_in(client, fake_provider, claims_for(first.email, sub)).status_code == 302
    client.post("/accounts/logout/")

    # The provider now says the same subject has the other person's address.
    response = oidc_sign_in(client, fake_provider, claims_for("second@north-borough.gov.uk", sub))

    assert response.status_code == 403
    assert signed_in_user(client) is None


def test_a_callback_with_a_state_cadre_did_not_issue_is_refused(client, fake_provider, north_borough):
    PersonFactory(organisation=north_borough, email="lee@north-borough.gov.uk")
    response = client.post("/accounts/oidc/fake/login/?process=login")
    query = parse_qs(urlsplit(response["Location"]).query)
    code = fake_provider.grant(
        redirect_uri=query["redirect_uri"][0],
        code_challenge=query["code_challenge"][0],
        claims=claims_for("lee@north-borough.gov.uk"),
    )

    response = client.get("/accounts/oidc/fake/login/callback/", {"code": code, "state": "forged-state"})

    assert response.status_code == 401
    assert signed_in_user(client) is None
    assert "did not work" in html(response)


def test_an_id_token_for_another_client_is_refused(client, fake_provider, north_borough):
    PersonFactory(organisation=north_borough, email="max@north-borough.gov.uk")
    fake_provider.audience = "some-other-application"

    response = oidc_sign_in(client, fake_provider, claims_for("max@north-borough.gov.uk"))

    assert response.status_code == 401
    assert signed_in_user(client) is None


def test_id_tokens_are_verified_against_the_providers_published_keys(fake_provider):
    """allauth checks signatures with the provider's JWKS when a token does not come straight from
    the token endpoint (PyJWT with cryptography doing the RS256 work)."""
    token = fake_provider.id_token({"sub": "abc", "email": "a@north-borough.gov.uk"})
    verify = {
        "keys_url": f"{fake_provider.base}/jwks",
        "issuer": fake_provider.base,
        "audience": CLIENT_ID,
        "lookup_kid": jwtkit.lookup_kid_jwk,
    }

    assert jwtkit.verify_and_decode(credential=token, **verify)["sub"] == "abc"

    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(OAuth2Error):
        jwtkit.verify_and_decode(credential=fake_provider.id_token({"sub": "abc"}, key=forger), **verify)
    header, _, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    tampered_payload = b64url(json.dumps({**claims, "sub": "someone-else"}).encode())
    with pytest.raises(OAuth2Error):
        jwtkit.verify_and_decode(credential=f"{header}.{tampered_payload}.{signature}", **verify)


# SAML 2.0: assertions signed with xmlsec, checked by python3-saml as allauth configures it.


def self_signed_certificate(common_name: str = "idp.north-borough.gov.uk"):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


IDP_ENTITY_ID = "https://idp.north-borough.gov.uk/saml"
EMAIL_ATTRIBUTE = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"


@pytest.fixture(scope="module")
def idp_keys():
    return self_signed_certificate()


@pytest.fixture
def saml_env(idp_keys, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    _, cert_pem = idp_keys
    return {
        "CADRE_SAML_ORGANISATIONS": "north-borough",
        "CADRE_SAML_NORTH_BOROUGH_NAME": "North Borough Council",
        "CADRE_SAML_NORTH_BOROUGH_IDP_ENTITY_ID": IDP_ENTITY_ID,
        "CADRE_SAML_NORTH_BOROUGH_IDP_SSO_URL": "https://idp.north-borough.gov.uk/saml/sso",
        "CADRE_SAML_NORTH_BOROUGH_IDP_X509CERT": cert_pem,
    }


def saml_instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


SAML = "urn:oasis:names:tc:SAML:2.0"
CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"


def signed_assertion(
    *, key_pem: str, cert_pem: str, email: str, audience: str, recipient: str, in_response_to: str | None
) -> str:
    """A SAML assertion as an identity provider sends it, signed with xmlsec through python3-saml."""
    now = datetime.now(UTC)
    soon = saml_instant(now + timedelta(minutes=5))
    in_response = f' InResponseTo="{in_response_to}"' if in_response_to else ""
    assertion = f"""<saml:Assertion xmlns:saml="{SAML}:assertion"
  ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{saml_instant(now)}">
<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>
<saml:Subject>
<saml:NameID Format="{SAML}:nameid-format:persistent">subject-{uuid.uuid4().hex}</saml:NameID>
<saml:SubjectConfirmation Method="{SAML}:cm:bearer">
<saml:SubjectConfirmationData NotOnOrAfter="{soon}" Recipient="{recipient}"{in_response}/>
</saml:SubjectConfirmation>
</saml:Subject>
<saml:Conditions NotBefore="{saml_instant(now - timedelta(minutes=1))}" NotOnOrAfter="{soon}">
<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>
</saml:Conditions>
<saml:AuthnStatement AuthnInstant="{saml_instant(now)}" SessionIndex="_session-{uuid.uuid4().hex}">
<saml:AuthnContext>
<saml:AuthnContextClassRef>{SAML}:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>
</saml:AuthnContext>
</saml:AuthnStatement>
<saml:AttributeStatement>
<saml:Attribute Name="{EMAIL_ATTRIBUTE}"><saml:AttributeValue>{email}</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="{CLAIMS}/givenname"><saml:AttributeValue>Sam</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="{CLAIMS}/surname"><saml:AttributeValue>Okafor</saml:AttributeValue></saml:Attribute>
</saml:AttributeStatement>
</saml:Assertion>"""
    signed = OneLogin_Saml2_Utils.add_sign(
        assertion,
        key_pem,
        cert_pem,
        sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
        digest_algorithm=OneLogin_Saml2_Constants.SHA256,
    )
    return (signed.decode() if isinstance(signed, bytes) else signed).split("?>", 1)[-1].strip()


def saml_response(*, assertion: str, destination: str, in_response_to: str | None) -> str:
    in_response = f' InResponseTo="{in_response_to}"' if in_response_to else ""
    return f"""<samlp:Response xmlns:samlp="{SAML}:protocol" xmlns:saml="{SAML}:assertion"
  ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{saml_instant(datetime.now(UTC))}"
  Destination="{destination}"{in_response}>
<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="{SAML}:status:Success"/></samlp:Status>
{assertion}
</samlp:Response>"""


# python3-saml, as allauth configures it, rightly refuses single-label hosts such as "testserver".
HOST = "cadre.north-borough.gov.uk"
ACS_PATH = "/accounts/saml/north-borough/acs/"
ACS_URL = f"http://{HOST}{ACS_PATH}"
SP_ENTITY_ID = f"http://{HOST}/accounts/saml/north-borough/metadata/"


def allauth_saml_settings(env: dict) -> OneLogin_Saml2_Settings:
    """The python3-saml settings allauth's SAML provider builds for this app."""
    (app,) = saml_apps(env)
    request = RequestFactory().post(ACS_PATH, HTTP_HOST=HOST)
    config = build_saml_config(request, app["settings"], app["client_id"])
    assert config["sp"]["entityId"] == SP_ENTITY_ID
    assert config["sp"]["assertionConsumerService"]["url"] == ACS_URL
    assert config["security"]["wantAssertionsSigned"] is True
    return OneLogin_Saml2_Settings(config, sp_validation_only=True)


def acs_request_data(encoded: str) -> dict:
    return {
        "https": "off",
        "http_host": HOST,
        "script_name": "",
        "path_info": ACS_PATH,
        "get_data": {},
        "post_data": {"SAMLResponse": encoded},
    }


def encode(xml: str) -> str:
    return base64.b64encode(xml.encode()).decode()


def test_a_signed_saml_assertion_validates_and_a_tampered_one_does_not(idp_keys, saml_env):
    key_pem, cert_pem = idp_keys
    settings = allauth_saml_settings(saml_env)
    assertion = signed_assertion(
        key_pem=key_pem,
        cert_pem=cert_pem,
        email="sam.okafor@north-borough.gov.uk",
        audience=SP_ENTITY_ID,
        recipient=ACS_URL,
        in_response_to=None,
    )
    assert "<ds:SignatureValue>" in assertion
    good = saml_response(assertion=assertion, destination=ACS_URL, in_response_to=None)

    response = OneLogin_Saml2_Response(settings, encode(good))
    assert response.is_valid(acs_request_data(encode(good))), response.get_error()
    assert response.get_attributes()[EMAIL_ATTRIBUTE] == ["sam.okafor@north-borough.gov.uk"]

    # Change the email inside the signed assertion: the digest no longer matches.
    tampered = good.replace("sam.okafor@north-borough.gov.uk", "chief.executive@north-borough.gov.uk")
    response = OneLogin_Saml2_Response(settings, encode(tampered))
    assert not response.is_valid(acs_request_data(encode(tampered)))
    assert "Signature validation failed" in response.get_error()


def test_an_assertion_signed_by_another_key_or_not_signed_is_refused(idp_keys, saml_env):
    key_pem, cert_pem = idp_keys
    settings = allauth_saml_settings(saml_env)
    other_key, other_cert = self_signed_certificate("impostor.example.com")
    forged = saml_response(
        assertion=signed_assertion(
            key_pem=other_key,
            cert_pem=other_cert,
            email="sam.okafor@north-borough.gov.uk",
            audience=SP_ENTITY_ID,
            recipient=ACS_URL,
            in_response_to=None,
        ),
        destination=ACS_URL,
        in_response_to=None,
    )
    response = OneLogin_Saml2_Response(settings, encode(forged))
    assert not response.is_valid(acs_request_data(encode(forged)))

    signed = signed_assertion(
        key_pem=key_pem,
        cert_pem=cert_pem,
        email="sam.okafor@north-borough.gov.uk",
        audience=SP_ENTITY_ID,
        recipient=ACS_URL,
        in_response_to=None,
    )
    unsigned_assertion = re.sub(r"<ds:Signature.*?</ds:Signature>", "", signed, flags=re.S)
    unsigned = saml_response(assertion=unsigned_assertion, destination=ACS_URL, in_response_to=None)
    response = OneLogin_Saml2_Response(settings, encode(unsigned))
    assert not response.is_valid(acs_request_data(encode(unsigned)))


def test_an_imported_person_signs_in_with_saml_end_to_end(client, settings, idp_keys, saml_env, north_borough):
    key_pem, cert_pem = idp_keys
    settings.SOCIALACCOUNT_PROVIDERS = providers_from_environment(saml_env)
    person = PersonFactory(organisation=north_borough, email="sam.okafor@north-borough.gov.uk")

    # The sign-in button sends the person to the identity provider with a signed-for request.
    response = client.post("/accounts/saml/north-borough/login/?process=login", HTTP_HOST=HOST)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://idp.north-borough.gov.uk/saml/sso"
    authn_request = OneLogin_Saml2_Utils.decode_base64_and_inflate(parse_qs(location.query)["SAMLRequest"][0])
    request_id = re.search(rb'ID="([^"]+)"', authn_request).group(1).decode()

    # The provider posts its signed answer back to the assertion consumer service.
    assertion = signed_assertion(
        key_pem=key_pem,
        cert_pem=cert_pem,
        email=person.email,
        audience=SP_ENTITY_ID,
        recipient=ACS_URL,
        in_response_to=request_id,
    )
    answer = saml_response(assertion=assertion, destination=ACS_URL, in_response_to=request_id)
    response = client.post(ACS_PATH, {"SAMLResponse": encode(answer)}, HTTP_HOST=HOST, follow=True)

    assert response.redirect_chain[-1][0] == "/"
    user = signed_in_user(client)
    assert user is not None and user.email == person.email
    person.refresh_from_db()
    assert person.user == user
    assert SocialAccount.objects.get(user=user).provider == IDP_ENTITY_ID


def test_a_saml_answer_the_sign_in_did_not_ask_for_is_refused(client, settings, idp_keys, saml_env, north_borough):
    key_pem, cert_pem = idp_keys
    settings.SOCIALACCOUNT_PROVIDERS = providers_from_environment(saml_env)
    person = PersonFactory(organisation=north_borough, email="sam.okafor@north-borough.gov.uk")
    assertion = signed_assertion(
        key_pem=key_pem,
        cert_pem=cert_pem,
        email=person.email,
        audience=SP_ENTITY_ID,
        recipient=ACS_URL,
        in_response_to=None,
    )
    answer = saml_response(assertion=assertion, destination=ACS_URL, in_response_to=None)

    response = client.post(ACS_PATH, {"SAMLResponse": encode(answer)}, HTTP_HOST=HOST, follow=True)

    assert response.status_code == 401
    assert signed_in_user(client) is None


# Settings from the environment


OIDC_ENV = {
    "CADRE_OIDC_PROVIDERS": "entra",
    "CADRE_OIDC_ENTRA_NAME": "Microsoft",
    "CADRE_OIDC_ENTRA_SERVER_URL": "https://login.microsoftonline.com/0000-tenant/v2.0",
    "CADRE_OIDC_ENTRA_CLIENT_ID": "client-id",
    "CADRE_OIDC_ENTRA_SECRET": "client-secret",
    "CADRE_OIDC_ENTRA_ORGANISATIONS": "north-borough, north-borough-trust",
}


def test_an_entra_id_provider_is_configured_from_the_environment():
    (app,) = providers_from_environment(OIDC_ENV)["openid_connect"]["APPS"]

    assert app["provider_id"] == "entra"
    assert app["name"] == "Microsoft"
    assert app["client_id"] == "client-id" and app["secret"] == "client-secret"
    assert app["settings"]["server_url"] == "https://login.microsoftonline.com/0000-tenant/v2.0"
    assert app["settings"]["organisations"] == ["north-borough", "north-borough-trust"]
    assert app["settings"]["oauth_pkce_enabled"] is True


@pytest.mark.parametrize("variable", ["SERVER_URL", "CLIENT_ID", "SECRET", "ORGANISATIONS"])
def test_a_missing_oidc_variable_is_named(variable):
    env = {**OIDC_ENV, f"CADRE_OIDC_ENTRA_{variable}": ""}

    with pytest.raises(ValueError) as error:
        providers_from_environment(env)

    assert str(error.value) == f"Single sign-on provider entra needs CADRE_OIDC_ENTRA_{variable}."


def test_every_missing_variable_is_named_at_once():
    with pytest.raises(ValueError) as error:
        providers_from_environment({"CADRE_OIDC_PROVIDERS": "entra"})

    assert str(error.value) == (
        "Single sign-on provider entra needs CADRE_OIDC_ENTRA_SERVER_URL, CADRE_OIDC_ENTRA_CLIENT_ID, "
        "CADRE_OIDC_ENTRA_SECRET, CADRE_OIDC_ENTRA_ORGANISATIONS."
    )


@pytest.mark.parametrize("variable", ["IDP_ENTITY_ID", "IDP_SSO_URL", "IDP_X509CERT"])
def test_a_missing_saml_variable_is_named(saml_env, variable):
    env = {**saml_env}
    del env[f"CADRE_SAML_NORTH_BOROUGH_{variable}"]

    with pytest.raises(ValueError) as error:
        providers_from_environment(env)

    assert str(error.value) == (
        f"SAML for north-borough needs CADRE_SAML_NORTH_BOROUGH_{variable} "
        "(or CADRE_SAML_NORTH_BOROUGH_IDP_METADATA_URL instead)."
    )


def test_a_saml_provider_may_use_a_metadata_url_instead():
    env = {
        "CADRE_SAML_ORGANISATIONS": "north-borough",
        "CADRE_SAML_NORTH_BOROUGH_IDP_METADATA_URL": "https://idp.north-borough.gov.uk/metadata.xml",
    }

    (app,) = providers_from_environment(env)["saml"]["APPS"]

    assert app["settings"]["idp"]["metadata_url"] == "https://idp.north-borough.gov.uk/metadata.xml"
    assert app["settings"]["organisations"] == ["north-borough"]
    assert app["settings"]["advanced"]["reject_idp_initiated_sso"] is True


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {**OIDC_ENV, "CADRE_OIDC_ENTRA_SERVER_URL": "http://login.example.com/v2.0"},
            "CADRE_OIDC_ENTRA_SERVER_URL must be an https:// address, not 'http://login.example.com/v2.0'.",
        ),
        (
            {**OIDC_ENV, "CADRE_OIDC_ENTRA_SERVER_URL": "https://login.microsoftonline.com/common/v2.0"},
            "CADRE_OIDC_ENTRA_SERVER_URL must name your Entra ID tenant, such as "
            "https://login.microsoftonline.com/<tenant id>/v2.0, not 'https://login.microsoftonline.com/common/v2.0'.",
        ),
        (
            {**OIDC_ENV, "CADRE_OIDC_PROVIDERS": "Entra ID"},
            "CADRE_OIDC_PROVIDERS lists 'Entra ID': use lower-case letters, digits and hyphens only, "
            "such as north-borough.",
        ),
    ],
)
def test_unsafe_or_unusable_values_are_refused(env, message):
    with pytest.raises(ValueError) as error:
        providers_from_environment(env)

    assert str(error.value) == message


def test_the_identity_providers_are_allowed_as_form_targets(saml_env):
    assert form_action_origins({**OIDC_ENV, **saml_env}) == [
        "https://login.microsoftonline.com",
        "https://idp.north-borough.gov.uk",
    ]
