"""Single sign-on settings from the environment (see docs/single-sign-on.md).

OpenID Connect, such as Microsoft Entra ID (one provider may serve several organisations):
    CADRE_OIDC_PROVIDERS=entra
    CADRE_OIDC_ENTRA_NAME="Microsoft"                  (the button reads "Sign in with Microsoft")
    CADRE_OIDC_ENTRA_SERVER_URL=https://login.microsoftonline.com/<tenant id>/v2.0
    CADRE_OIDC_ENTRA_CLIENT_ID=...   CADRE_OIDC_ENTRA_SECRET=...
    CADRE_OIDC_ENTRA_ORGANISATIONS=north-borough,north-borough-trust   (or * for every organisation)

SAML 2.0, one identity provider per organisation:
    CADRE_SAML_ORGANISATIONS=north-borough
    CADRE_SAML_NORTH_BOROUGH_NAME="North Borough Council"
    CADRE_SAML_NORTH_BOROUGH_IDP_ENTITY_ID=...  CADRE_SAML_NORTH_BOROUGH_IDP_SSO_URL=...
    CADRE_SAML_NORTH_BOROUGH_IDP_X509CERT=...   (or CADRE_SAML_NORTH_BOROUGH_IDP_METADATA_URL=...)

A provider signs people in only to the organisations it serves: an identity provider run by one
council cannot vouch for staff of another.
"""

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

_IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# Entra ID sends its immutable object ID; other providers a SAML subject ID; failing both, the
# provider's NameID (allauth's fallback) identifies the person.
SAML_DEFAULT_UID_ATTRIBUTES = [
    "http://schemas.microsoft.com/identity/claims/objectidentifier",
    "urn:oasis:names:tc:SAML:attribute:subject-id",
]


def _key(identifier: str) -> str:
    return identifier.upper().replace("-", "_")


def _list(env: Mapping[str, str], name: str) -> list[str]:
    return [item.strip() for item in env.get(name, "").split(",") if item.strip()]


def _check_identifier(identifier: str, variable: str) -> None:
    if not _IDENTIFIER.match(identifier):
        raise ValueError(
            f"{variable} lists {identifier!r}: use lower-case letters, digits and hyphens only, such as north-borough."
        )


def _missing(env: Mapping[str, str], prefix: str, names: tuple[str, ...]) -> list[str]:
    return [prefix + name for name in names if not env.get(prefix + name, "").strip()]


def _check_https(url: str, variable: str) -> None:
    """Identity providers are reached over HTTPS; plain HTTP only on this machine (for tests)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return
    raise ValueError(f"{variable} must be an https:// address, not {url!r}.")


def _check_single_tenant(url: str, variable: str) -> None:
    """Cadre trusts the email address a provider gives, so with Microsoft Entra ID it must come
    from the organisation's own directory, not from any tenant ("common" and the like)."""
    parts = urlsplit(url)
    tenant = parts.path.strip("/").split("/")[0] if parts.path.strip("/") else ""
    if parts.hostname == "login.microsoftonline.com" and tenant in {"", "common", "organizations", "consumers"}:
        raise ValueError(
            f"{variable} must name your Entra ID tenant, such as "
            f"https://login.microsoftonline.com/<tenant id>/v2.0, not {url!r}."
        )


def oidc_apps(env: Mapping[str, str]) -> list[dict]:
    apps = []
    for provider_id in _list(env, "CADRE_OIDC_PROVIDERS"):
        _check_identifier(provider_id, "CADRE_OIDC_PROVIDERS")
        prefix = f"CADRE_OIDC_{_key(provider_id)}_"
        missing = _missing(env, prefix, ("SERVER_URL", "CLIENT_ID", "SECRET", "ORGANISATIONS"))
        if missing:
            raise ValueError(f"Single sign-on provider {provider_id} needs {', '.join(missing)}.")
        _check_https(env[prefix + "SERVER_URL"], prefix + "SERVER_URL")
        _check_single_tenant(env[prefix + "SERVER_URL"], prefix + "SERVER_URL")
        apps.append(
            {
                "provider_id": provider_id,
                "name": env.get(prefix + "NAME", provider_id),
                "client_id": env[prefix + "CLIENT_ID"],
                "secret": env[prefix + "SECRET"],
                "settings": {
                    "server_url": env[prefix + "SERVER_URL"],
                    "token_auth_method": env.get(prefix + "TOKEN_AUTH_METHOD", "client_secret_post"),
                    "oauth_pkce_enabled": True,
                    "organisations": _list(env, prefix + "ORGANISATIONS"),
                },
            }
        )
    return apps


def saml_apps(env: Mapping[str, str]) -> list[dict]:
    apps = []
    for slug in _list(env, "CADRE_SAML_ORGANISATIONS"):
        _check_identifier(slug, "CADRE_SAML_ORGANISATIONS")
        prefix = f"CADRE_SAML_{_key(slug)}_"
        idp = {"entity_id": env.get(prefix + "IDP_ENTITY_ID", "")}
        if env.get(prefix + "IDP_METADATA_URL"):
            _check_https(env[prefix + "IDP_METADATA_URL"], prefix + "IDP_METADATA_URL")
            idp["metadata_url"] = env[prefix + "IDP_METADATA_URL"]
        else:
            missing = _missing(env, prefix, ("IDP_ENTITY_ID", "IDP_SSO_URL", "IDP_X509CERT"))
            if missing:
                raise ValueError(f"SAML for {slug} needs {', '.join(missing)} (or {prefix}IDP_METADATA_URL instead).")
            _check_https(env[prefix + "IDP_SSO_URL"], prefix + "IDP_SSO_URL")
            idp.update({"sso_url": env[prefix + "IDP_SSO_URL"], "x509cert": env[prefix + "IDP_X509CERT"]})
            if env.get(prefix + "IDP_SLO_URL"):
                idp["slo_url"] = env[prefix + "IDP_SLO_URL"]
        uid = _list(env, prefix + "ATTR_UID") or SAML_DEFAULT_UID_ATTRIBUTES
        apps.append(
            {
                "name": env.get(prefix + "NAME", slug),
                "provider_id": env.get(prefix + "IDP_ENTITY_ID") or slug,
                "client_id": slug,
                "settings": {
                    "organisations": _list(env, prefix + "ORGANISATIONS") or [slug],
                    "attribute_mapping": {
                        "uid": uid,
                        "email": env.get(
                            prefix + "ATTR_EMAIL",
                            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                        ),
                        "first_name": env.get(
                            prefix + "ATTR_FIRST_NAME",
                            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                        ),
                        "last_name": env.get(
                            prefix + "ATTR_LAST_NAME",
                            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
                        ),
                    },
                    "idp": idp,
                    "advanced": {
                        "want_assertion_signed": True,
                        "want_message_signed": False,
                        "reject_idp_initiated_sso": True,
                        "allow_single_label_domains": False,
                    },
                },
            }
        )
    return apps


def providers_from_environment(env: Mapping[str, str]) -> dict:
    providers = {}
    if apps := oidc_apps(env):
        providers["openid_connect"] = {"APPS": apps, "OAUTH_PKCE_ENABLED": True}
    if apps := saml_apps(env):
        providers["saml"] = {"APPS": apps}
    return providers


def form_action_origins(env: Mapping[str, str]) -> list[str]:
    """Origins the sign-in page's forms may lead to: a browser applies the Content-Security-Policy
    `form-action` to the redirect to the identity provider, so its address must be allowed.
    (With SAML metadata URLs the sign-in address is not known here: list it in CADRE_SSO_FORM_ACTIONS.)"""
    urls = [app["settings"]["server_url"] for app in oidc_apps(env)]
    urls += [app["settings"]["idp"]["sso_url"] for app in saml_apps(env) if "sso_url" in app["settings"]["idp"]]
    origins = []
    for url in urls:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins
