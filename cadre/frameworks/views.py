"""Reading frameworks: the list, a version's page, its attributes by tiers matrix, a page per
attribute and per tier, "What is expected of me", and setting a person's tier by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.frameworks import selectors
from cadre.frameworks.adoption_views import adoption_context
from cadre.frameworks.assignment import person_reset_tier, person_set_tier
from cadre.frameworks.forms import PersonTierForm
from cadre.frameworks.models import FrameworkVersion
from cadre.people.selectors import person_detail


def _version_or_404(request, framework_id: int, number: int | None = None) -> FrameworkVersion:
    version = selectors.version_for(request.user, framework_id, number)
    if version is None:
        raise Http404("No such framework.")
    return version


def _version_context(request, version: FrameworkVersion) -> dict:
    """What every page of a version shows at the top: for an archived version, the current one."""
    current = None
    if version.status == FrameworkVersion.Status.ARCHIVED:
        current = selectors.version_for(request.user, version.framework_id)
        if current is not None and current.pk == version.pk:
            current = None
    return {"version": version, "framework": version.framework, "current": current}


@login_required
def framework_list_view(request):
    return render(request, "frameworks/list.html", {"rows": selectors.framework_list(request.user)})


@login_required
def framework_view(request, framework_id: int, number: int | None = None):
    version = _version_or_404(request, framework_id, number)
    overview = selectors.version_overview(request.user, version)
    context = {
        **_version_context(request, version),
        "overview": overview,
        **adoption_context(request.user, version.framework, version),
    }
    return render(request, "frameworks/version.html", context)


@login_required
def matrix_view(request, framework_id: int, number: int):
    version = _version_or_404(request, framework_id, number)
    matrix = selectors.version_matrix(version)
    return render(request, "frameworks/matrix.html", {**_version_context(request, version), "matrix": matrix})


def _development(request, version, *, attribute: str = "", tier: str = "") -> list:
    """The catalogue's offerings the user may see that build this attribute, or are for this tier."""
    from cadre.catalogue.selectors import Filters, catalogue_search

    filters = Filters(attributes=(attribute,) if attribute else (), tiers=(tier,) if tier else ())
    return [o for o in catalogue_search(request.user, filters) if o.framework_id in (None, version.framework_id)]


@login_required
def attribute_view(request, framework_id: int, number: int, key: str):
    version = _version_or_404(request, framework_id, number)
    page = selectors.attribute_page(version, key)
    if page is None:
        raise Http404("No such attribute.")
    development = _development(request, version, attribute=key)
    context = {**_version_context(request, version), "page": page, "development": development}
    return render(request, "frameworks/attribute.html", context)


@login_required
def tier_view(request, framework_id: int, number: int, key: str):
    version = _version_or_404(request, framework_id, number)
    page = selectors.tier_page(version, key)
    if page is None:
        raise Http404("No such tier.")
    development = _development(request, version, tier=key)
    context = {**_version_context(request, version), "page": page, "development": development}
    return render(request, "frameworks/tier.html", context)


@login_required
def tier_by_id_view(request, tier_id: int):
    """A tier by its id (as a person's page links it), sent on to its page in its version."""
    tier = selectors.tier_for(request.user, tier_id)
    if tier is None:
        raise Http404("No such tier.")
    return redirect("frameworks:tier", tier.version.framework_id, tier.version.number, tier.key)


@login_required
def expected_view(request):
    """What is expected of me: the signed-in person's own tier, in the framework version it is in."""
    page = selectors.expected_of(request.user)
    if page is None:
        return render(request, "frameworks/expected_none.html")
    version = page.tier.version
    development = _development(request, version, tier=page.tier.key)
    context = {**_version_context(request, version), "page": page, "expected": True, "development": development}
    return render(request, "frameworks/tier.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_tier_view(request, person_id: int):
    """An administrator sets a person's tier by hand, or hands it back to the automatic assignment."""
    person = person_detail(request.user, person_id)
    if person is None or not request.user.has_perm("frameworks.set_person_tier", person):
        raise Http404("No such person.")
    tiers = selectors.tiers_for_role_type(person.organisation_id, person.role_type, keep=person.tier_id)
    bound = request.method == "POST" and request.POST.get("action") != "automatic"
    form = PersonTierForm(request.POST if bound else None, tiers=tiers, initial_tier=person.tier_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "automatic":
                person_reset_tier(person=person, actor=request.user)
                tier = person.tier
                messages.success(
                    request,
                    f"{person.full_name}'s tier now comes from their role type and grade: "
                    + (f"{tier.name} (tier {tier.rank})." if tier else "no tier matches their grade."),
                )
                return redirect("people:detail", person.pk)
            if form.is_valid():
                tier = form.chosen_tier()
                person_set_tier(person=person, tier=tier, actor=request.user)
                messages.success(
                    request,
                    f"{person.full_name}'s tier is set by hand: "
                    + (f"{tier.name} (tier {tier.rank})." if tier else "no tier."),
                )
                return redirect("people:detail", person.pk)
        except ValidationError as error:
            for problem in error.problems:
                form.add_error("tier" if problem.field == "tier" else None, problem.message)
        except PermissionDenied as error:
            raise Http404("No such person.") from error
    return render(request, "frameworks/person_tier.html", {"person": person, "form": form})
