"""The catalogue: browsing and searching it with filters, one offering, adding and changing
offerings, and the coverage of attributes by tiers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from cadre.catalogue import selectors, services
from cadre.catalogue.forms import OfferingForm
from cadre.catalogue.models import Offering
from cadre.core.errors import ValidationError
from cadre.core.forms import add_problems
from cadre.core.models import Organisation, Role
from cadre.core.selectors import organisations_where, roles_by_organisation
from cadre.frameworks.models import Framework, FrameworkVersion
from cadre.people.selectors import person_of

GET_POST = require_http_methods(["GET", "POST"])
MAX_TEXT = 200


def _published_versions(organisation_ids) -> list[FrameworkVersion]:
    return list(
        FrameworkVersion.objects.filter(
            framework__owner_organisation_id__in=organisation_ids, status=FrameworkVersion.Status.PUBLISHED
        )
        .select_related("framework")
        .prefetch_related("attributes", "tiers")
    )


def _tag_choices(versions) -> tuple[list, list, dict, dict]:
    attributes, tiers = {}, {}
    for version in versions:
        for a in version.attributes.all():
            attributes.setdefault(a.key, a.name)
        for t in sorted(version.tiers.all(), key=lambda t: t.rank):
            tiers.setdefault(t.key, t.name)
    return list(attributes.items()), list(tiers.items()), attributes, tiers


def _chosen(request, name: str, allowed) -> tuple[str, ...]:
    allowed = {value for value, _label in allowed}
    return tuple(v for v in request.GET.getlist(name) if v in allowed)


@login_required
def catalogue(request):
    """Browse and search: the GOV.UK filter pattern, results best match first."""
    versions = _published_versions(list(roles_by_organisation(request.user)))
    attribute_choices, tier_choices, attribute_names, tier_names = _tag_choices(versions)
    text = request.GET.get("q", "").replace("\x00", "")[:MAX_TEXT]
    filters = selectors.Filters(
        text=text,
        kinds=_chosen(request, "kind", Offering.Kind.choices),
        modes=_chosen(request, "mode", Offering.Mode.choices),
        attributes=_chosen(request, "attribute", attribute_choices),
        tiers=_chosen(request, "tier", tier_choices),
    )
    results = selectors.catalogue_search(request.user, filters)
    for found in results:
        found.builds = [attribute_names.get(t.key, t.key) for t in found.attribute_tags.all()]
    person = person_of(request.user)
    recommended = []
    if person is not None and person.tier_id and not request.GET:
        recommended = selectors.catalogue_search(request.user, selectors.Filters(tiers=(person.tier.key,)))[:6]
    return render(
        request,
        "catalogue/list.html",
        {
            "results": results,
            "filters": filters,
            "groups": [
                ("kind", "Kind", Offering.Kind.choices, filters.kinds),
                ("mode", "How it is delivered", Offering.Mode.choices, filters.modes),
                ("attribute", "Attribute it builds", attribute_choices, filters.attributes),
                ("tier", "Tier", tier_choices, filters.tiers),
            ],
            "attribute_names": attribute_names,
            "tier_names": tier_names,
            "recommended": recommended,
            "person": person,
            "can_manage": bool(organisations_where(request.user, Role.LD_ADMIN, Role.ORG_ADMIN)),
        },
    )


@login_required
def offering(request, offering_id: int):
    found = get_object_or_404(
        selectors.offerings_visible_to(request.user).select_related("organisation", "framework"), pk=offering_id
    )
    versions = _published_versions([found.organisation_id])
    _a, _t, attribute_names, tier_names = _tag_choices(versions)
    return render(
        request,
        "catalogue/offering.html",
        {
            "offering": found,
            "attributes": [attribute_names.get(t.key, t.key) for t in found.attribute_tags.all()],
            "tiers": [tier_names.get(t.key, t.key) for t in found.tier_tags.all()],
            "can_manage": services.may_manage_catalogue(request.user, found.organisation_id),
        },
    )


def _managed_organisation(request) -> Organisation:
    organisations = organisations_where(request.user, Role.LD_ADMIN, Role.ORG_ADMIN)
    if not organisations:
        raise Http404("You do not manage a catalogue.")
    return Organisation.objects.get(pk=organisations[0])


def _offering_form_page(request, *, organisation: Organisation, existing: Offering | None):
    versions = _published_versions([organisation.pk])
    attribute_choices, tier_choices, _a, _t = _tag_choices(versions)
    frameworks = [v.framework for v in versions]
    initial = {}
    if existing is not None:
        initial = {
            name: getattr(existing, name)
            for name in (
                "title",
                "kind",
                "summary",
                "description",
                "provider",
                "mode",
                "location",
                "duration",
                "cost",
                "accreditation",
                "eligibility",
                "partners_may_book",
                "status",
            )
        }
        initial["framework"] = existing.framework_id
        initial["attributes"] = [t.key for t in existing.attribute_tags.all()]
        initial["tiers"] = [t.key for t in existing.tier_tags.all()]
    elif len(frameworks) == 1:
        initial["framework"] = frameworks[0].pk
    form = OfferingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        frameworks=frameworks,
        attributes=attribute_choices,
        tiers=tier_choices,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        framework_id = data.pop("framework")
        data["framework"] = Framework.objects.filter(pk=framework_id).first() if framework_id else None
        try:
            saved = services.offering_save(
                organisation=organisation,
                actor=request.user,
                details=services.OfferingDetails(**data),
                offering=existing,
            )
        except ValidationError as error:
            add_problems(form, error)
        else:
            messages.success(request, f"{saved.title} is saved.")
            return (
                redirect("catalogue:offering", saved.pk) if saved.status == "published" else redirect("catalogue:list")
            )
    return render(
        request,
        "catalogue/form.html",
        {"form": form, "existing": existing, "heading": "Change an offering" if existing else "Add an offering"},
    )


@login_required
@GET_POST
def offering_new(request):
    return _offering_form_page(request, organisation=_managed_organisation(request), existing=None)


@login_required
@GET_POST
def offering_edit(request, offering_id: int):
    organisation = _managed_organisation(request)
    existing = get_object_or_404(Offering, pk=offering_id, organisation=organisation)
    return _offering_form_page(request, organisation=organisation, existing=existing)


@login_required
def coverage(request):
    """Attribute × tier: how many published offerings build each attribute at each tier."""
    organisation = _managed_organisation(request)
    versions = _published_versions([organisation.pk])
    tables = []
    for version in versions:
        attributes = list(version.attributes.all())
        tiers = sorted(version.tiers.all(), key=lambda t: t.rank)
        counts = selectors.coverage(organisation.pk, [a.key for a in attributes], [t.key for t in tiers])
        rows = [(a, [counts.get((a.key, t.key), 0) for t in tiers]) for a in attributes]
        gaps = sum(1 for _a, cells in rows for n in cells if n == 0)
        tables.append({"version": version, "tiers": tiers, "rows": rows, "gaps": gaps})
    offerings = Offering.objects.filter(organisation=organisation).order_by("status", "title")
    return render(
        request, "catalogue/coverage.html", {"tables": tables, "organisation": organisation, "offerings": offerings}
    )
