"""Single sign-on settings from the environment (see docs/single-sign-on.md).

OpenID Connect, such as Microsoft Entra ID:
    CADRE_OIDC_PROVIDERS=entra
    CADRE_OIDC_ENTRA_NAME="Microsoft Entra ID"
    CADRE_OIDC_ENTRA_SERVER_URL=https://login.microsoftonline.com/<tenant id>/v2.0
    CADRE_OIDC_ENTRA_CLIENT_ID=...   CADRE_OIDC_ENTRA_SECRET=...

SAML 2.0, one identity provider per organisation:
    CADRE_SAML_ORGANISATIONS=north-borough
    CADRE_SAML_NORTH_BOROUGH_NAME="North Borough sign-in"
    CADRE_SAML_NORTH_BOROUGH_IDP_ENTITY_ID=...  CADRE_SAML_NORTH_BOROUGH_IDP_SSO_URL=...
    CADRE_SAML_NORTH_BOROUGH_IDP_X509CERT=...   (or CADRE_SAML_NORTH_BOROUGH_IDP_METADATA_URL=...)
"""

from collections.abc import Mapping


def _key(identifier: str) -> str:
    return identifier.upper().replace("-", "_")


def _list(env: Mapping[str, str], name: str) -> list[str]:
    return [item.strip() for item in env.get(name, "").split(",") if item.strip()]


def oidc_apps(env: Mapping[str, str]) -> list[dict]:
    apps = []
    for provider_id in _list(env, "CADRE_OIDC_PROVIDERS"):
        prefix = f"CADRE_OIDC_{_key(provider_id)}_"
        missing = [n for n in ("SERVER_URL", "CLIENT_ID") if not env.get(prefix + n)]
        if missing:
            raise ValueError(f"Single sign-on provider {provider_id} needs {', '.join(prefix + n for n in missing)}.")
        apps.append(
            {
                "provider_id": provider_id,
                "name": env.get(prefix + "NAME", provider_id),
                "client_id": env[prefix + "CLIENT_ID"],
                "secret": env.get(prefix + "SECRET", ""),
                "settings": {
                    "server_url": env[prefix + "SERVER_URL"],
                    "token_auth_method": env.get(prefix + "TOKEN_AUTH_METHOD", "client_secret_post"),
                    "oauth_pkce_enabled": True,
                },
            }
        )
    return apps


def saml_apps(env: Mapping[str, str]) -> list[dict]:
    apps = []
    for slug in _list(env, "CADRE_SAML_ORGANISATIONS"):
        prefix = f"CADRE_SAML_{_key(slug)}_"
        idp = {"entity_id": env.get(prefix + "IDP_ENTITY_ID", "")}
        if env.get(prefix + "IDP_METADATA_URL"):
            idp["metadata_url"] = env[prefix + "IDP_METADATA_URL"]
        else:
            missing = [n for n in ("IDP_ENTITY_ID", "IDP_SSO_URL", "IDP_X509CERT") if not env.get(prefix + n)]
            if missing:
                raise ValueError(f"SAML for {slug} needs {', '.join(prefix + n for n in missing)}.")
            idp.update({"sso_url": env[prefix + "IDP_SSO_URL"], "x509cert": env[prefix + "IDP_X509CERT"]})
            if env.get(prefix + "IDP_SLO_URL"):
                idp["slo_url"] = env[prefix + "IDP_SLO_URL"]
        apps.append(
            {
                "name": env.get(prefix + "NAME", slug),
                "provider_id": env.get(prefix + "IDP_ENTITY_ID", slug),
                "client_id": slug,
                "settings": {
                    "attribute_mapping": {
                        "uid": env.get(
                            prefix + "ATTR_UID", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
                        ),
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
