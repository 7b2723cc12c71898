"""The JSON API (OpenAPI at /api/docs). Each app has a router here; errors are RFC 9457 problem details."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from cadre.core.errors import PermissionDenied, ValidationError


class CadreAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Error responses are documented as RFC 9457 problem details, as they are sent."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        content["application/problem+json"] = content.pop("application/json")
        return schema


api = CadreAPI(
    title="Cadre API",
    version="1",
    description="Leadership and management development: people, organisations and frameworks. Every list is scoped to "
    "what the signed-in user may see.",
    auth=django_auth,
    urls_namespace="api",
)


def _problem(request, status: int, title: str, detail: str = "", **extra):
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        **({"detail": detail} if detail else {}),
        **extra,
    }
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


def refused(request, error: ValidationError):
    """A refusal about the state of things (applied already, the offer has lapsed) is a 409 with
    problem details; a problem with what was sent, naming a field, is raised on as a 422."""
    if any(problem.field for problem in error.problems):
        raise error
    return _problem(
        request,
        409,
        "The request could not be carried out",
        str(error),
        errors=[{"field": p.field, "row": p.row, "message": p.message} for p in error.problems],
    )


@api.exception_handler(ValidationError)
def _validation(request, error: ValidationError):
    return _problem(
        request,
        422,
        "The request could not be carried out",
        str(error),
        errors=[{"field": p.field, "row": p.row, "message": p.message} for p in error.problems],
    )


@api.exception_handler(NinjaValidationError)
def _schema_validation(request, error: NinjaValidationError):
    return _problem(request, 422, "The request is not valid", "See errors for each problem.", errors=error.errors)


@api.exception_handler(HttpError)
def _http_error(request, error: HttpError):
    """Errors django-ninja raises itself, such as a body that is not JSON, as problem details too."""
    return _problem(request, error.status_code, "The request could not be read", str(error))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, error):
    return _problem(request, 401, "Sign in first")


@api.exception_handler(PermissionDenied)
def _forbidden(request, error):
    return _problem(request, 403, "Not allowed", str(error))


@api.exception_handler(Http404)
def _not_found(request, error):
    return _problem(request, 404, "Not found")


from cadre.api import frameworks, people  # noqa: E402

api.add_router("/", people.router)
api.add_router("/", frameworks.router)
api.add_router("/", "cadre.api.diagnostics.router")
api.add_router("/", "cadre.api.catalogue.router")
api.add_router("/", "cadre.api.learning.router")
api.add_router("/", "cadre.api.programmes.router")
api.add_router("/", "cadre.api.credentials.router")
api.add_router("/", "cadre.api.mentoring.router")
api.add_router("/", "cadre.api.groups.router")
