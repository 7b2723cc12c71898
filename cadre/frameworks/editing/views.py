"""The pages on which L&D administrators build a framework's draft, publish it and start the next.

Thin: each finds the framework among those the user edits (anything else is a 404), hands the
form's values to one service in `services`, and shows the service's problems in the GOV.UK error
summary, keeping what was typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cadre.core.errors import ValidationError
from cadre.core.models import Network, Organisation
from cadre.frameworks import services as framework_services
from cadre.frameworks.adoption import adoption_of
from cadre.frameworks.editing import forms, selectors, services
from cadre.frameworks.models import (
    Attribute,
    AttributeMapping,
    BehaviourIndicator,
    Channel,
    Definition,
    Framework,
    FrameworkVersion,
    Tier,
    Value,
)
from cadre.people.models import RoleType

GET_POST = require_http_methods(["GET", "POST"])


def _data(request):
    """The posted form, or nothing on a GET (a post with no fields is still a post)."""
    return request.POST if request.method == "POST" else None


def _framework(request, framework_id: int) -> Framework:
    framework = selectors.framework_editable_by(request.user, framework_id)
    if framework is None:
        raise Http404("No such framework.")
    return framework


def _version(framework: Framework) -> FrameworkVersion:
    version = selectors.working_version(framework)
    if version is None:
        raise Http404("The framework has no versions.")
    return version


def _in_framework(model, framework: Framework, pk: int):
    """One row of any version of the framework: a published one is shown, and refused on change."""
    return get_object_or_404(model.objects.select_related("version"), pk=pk, version__framework=framework)


def _framework_url(framework: Framework) -> str:
    return reverse("framework_editing:framework", args=[framework.pk])


def _refusal(version: FrameworkVersion) -> ValidationError | None:
    try:
        framework_services.require_draft(version)
    except ValidationError as error:
        return error
    return None


def _form_page(request, *, framework, version, form, save, done, heading, caption="", submit="Save", back=None):
    """A form page: on a valid post, save through the service and go on to `done` (a URL, or a
    function giving one once saved); otherwise show the
    form again with the problems. A version that is not a draft is refused before anything."""
    refusal = _refusal(version)
    if request.method == "POST":
        if refusal is not None:
            form.is_valid()
            forms.add_problems(form, refusal)
        elif form.is_valid():
            try:
                message = save(form.cleaned_data)
            except ValidationError as error:
                forms.add_problems(form, error)
            else:
                messages.success(request, message)
                return redirect(done() if callable(done) else done)
    return render(
        request,
        "frameworks/editing/form.html",
        {
            "framework": framework,
            "version": version,
            "form": form,
            "refusal": refusal,
            "heading": heading,
            "caption": caption or version.name or framework.name,
            "submit": submit,
            "back": back or _framework_url(framework),
        },
    )


def _delete_page(request, *, framework, version, thing, consequence, delete, done, back):
    refusal = _refusal(version)
    errors = [{"text": p.message} for p in refusal.problems] if refusal else []
    if request.method == "POST" and refusal is None:
        try:
            delete()
        except ValidationError as error:
            errors = [{"text": p.message} for p in error.problems]
        else:
            messages.success(request, f"{thing[0].upper()}{thing[1:]} deleted.")
            return redirect(done)
    return render(
        request,
        "frameworks/editing/delete.html",
        {
            "framework": framework,
            "version": version,
            "thing": thing,
            "consequence": consequence,
            "errors": errors,
            "refusal": refusal,
            "back": back,
        },
    )


# -- frameworks -------------------------------------------------------------------------------


@login_required
def framework_list(request):
    if not selectors.may_manage_frameworks(request.user):
        raise Http404("You do not edit frameworks.")
    frameworks = list(selectors.frameworks_editable_by(request.user))
    return render(request, "frameworks/editing/list.html", {"frameworks": frameworks})


@login_required
@GET_POST
def framework_new(request):
    platform_admin = request.user.is_superuser
    organisations = list(
        Organisation.objects.filter(pk__in=selectors.organisations_editing_frameworks(request.user)).order_by("name")
    )
    if not organisations and not platform_admin:
        raise Http404("You do not edit frameworks.")
    form = forms.FrameworkForm(
        _data(request),
        organisations=organisations,
        networks=list(Network.objects.order_by("name")) if platform_admin else (),
        platform_admin=platform_admin,
        initial={"role_types": ["officer"]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.framework_start(
                name=form.cleaned_data["name"],
                audience=form.cleaned_data["audience"],
                description=form.cleaned_data["description"],
                role_types=form.cleaned_data["role_types"],
                actor=request.user,
                **form.chosen_owner(),
            )
        except ValidationError as error:
            forms.add_problems(form, error)
        else:
            messages.success(request, f"{framework.name} created. Add its attributes and tiers.")
            return redirect("framework_editing:framework", framework.pk)
    return render(request, "frameworks/editing/framework_new.html", {"form": form})


@login_required
@GET_POST
def framework_edit(request, framework_id: int):
    """A framework's details as its draft has them (a published version keeps its own)."""
    framework = _framework(request, framework_id)
    version = _version(framework)
    form = forms.FrameworkDetailsForm(_data(request), initial=version.details())
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.framework_details_save(framework=framework, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_problems(form, error)
        else:
            if saved.versions.exclude(status=FrameworkVersion.Status.DRAFT).exists():
                messages.success(
                    request, f"Details saved in the draft, version {version.number}. They apply once it is published."
                )
            else:
                messages.success(request, f"{saved.name}'s details saved.")
            return redirect("framework_editing:framework", framework.pk)
    return render(
        request,
        "frameworks/editing/form.html",
        {
            "framework": framework,
            "version": version,
            "form": form,
            "heading": "Change the framework's details",
            "caption": framework.name,
            "submit": "Save",
            "back": _framework_url(framework),
        },
    )


@login_required
@GET_POST
def change_note_edit(request, framework_id: int, version_id: int):
    """What a draft says changed from the previous version; a published version's is refused."""
    framework = _framework(request, framework_id)
    version = get_object_or_404(FrameworkVersion, pk=version_id, framework=framework)
    form = forms.ChangeNoteForm(_data(request), initial={"change_note": version.change_note})

    def save(data):
        services.version_change_note_save(version=version, actor=request.user, change_note=data["change_note"])
        return f"Version {version.number}'s change note saved."

    return _form_page(
        request,
        framework=framework,
        version=version,
        form=form,
        save=save,
        done=_framework_url(framework),
        heading=f"Change note for version {version.number}",
    )


@login_required
def framework_view(request, framework_id: int):
    framework = _framework(request, framework_id)
    version = _version(framework)
    role_types = [RoleType(r).label for r in version.role_types if r in RoleType.values]
    context = {
        "framework": framework,
        "version": version,
        "role_types": role_types,
        "adoption": adoption_of(framework),
        **selectors.version_contents(version),
    }
    return render(request, "frameworks/editing/framework.html", context)


@login_required
def versions(request, framework_id: int):
    framework = _framework(request, framework_id)
    return render(
        request,
        "frameworks/editing/versions.html",
        {"framework": framework, "versions": list(framework.versions.select_related("previous").order_by("-number"))},
    )


def _problem_link(framework: Framework, field: str | None) -> str | None:
    """Where to go to put a publishing problem right: the attribute's own page, or the list."""
    if field and field.startswith("attribute:"):
        return reverse("framework_editing:attribute", args=[framework.pk, int(field.partition(":")[2])])
    anchors = {"attributes": "#attributes", "tiers": "#tiers"}
    return _framework_url(framework) + anchors[field] if field in anchors else None


@login_required
@GET_POST
def publish(request, framework_id: int):
    framework = _framework(request, framework_id)
    version = _version(framework)
    refusal = _refusal(version)
    problems = refusal.problems if refusal else framework_services.incomplete(version)
    if request.method == "POST" and not problems:
        try:
            framework_services.version_publish(version=version, actor=request.user)
        except ValidationError as error:
            problems = error.problems
        else:
            messages.success(request, f"Version {version.number} of {version.name or framework.name} is published.")
            return redirect("framework_editing:framework", framework.pk)
    errors = [{"text": p.message, "href": _problem_link(framework, p.field)} for p in problems]
    return render(
        request,
        "frameworks/editing/publish.html",
        {"framework": framework, "version": version, "errors": errors, "refused": refusal is not None},
    )


@login_required
@GET_POST
def new_draft(request, framework_id: int):
    framework = _framework(request, framework_id)
    version = _version(framework)
    errors = []
    if request.method == "POST":
        try:
            draft = framework_services.version_new_draft(framework=framework, actor=request.user)
        except ValidationError as error:
            errors = [{"text": p.message} for p in error.problems]
        else:
            messages.success(
                request, f"Version {draft.number} started as a draft, copied from version {version.number}."
            )
            return redirect("framework_editing:framework", framework.pk)
    elif version.status != FrameworkVersion.Status.PUBLISHED:
        errors = [
            {"text": "This framework already has a draft. Edit that one."}
            if version.is_editable
            else {"text": "Publish the first version before starting another."}
        ]
    return render(
        request, "frameworks/editing/new_draft.html", {"framework": framework, "version": version, "errors": errors}
    )


# -- attributes -------------------------------------------------------------------------------


def _attribute_values(attribute: Attribute) -> dict:
    return {
        "name": attribute.name,
        "key": attribute.key,
        "statement": attribute.statement,
        "diversity_and_inclusion": attribute.diversity_and_inclusion,
        "status": attribute.status,
        "order": attribute.order,
        "is_focus": attribute.is_focus,
    }


@login_required
@GET_POST
def attribute_new(request, framework_id: int):
    framework = _framework(request, framework_id)
    version = _version(framework)
    next_order = max(version.attributes.values_list("order", flat=True), default=0) + 1
    form = forms.AttributeForm(_data(request), initial={"order": next_order})

    added = []

    def save(data):
        attribute = services.attribute_save(version=version, actor=request.user, **data)
        added.append(attribute)
        return f"{attribute.name} added. Now add what it looks like at each tier."

    return _form_page(
        request,
        framework=framework,
        version=version,
        form=form,
        save=save,
        done=lambda: reverse("framework_editing:attribute", args=[framework.pk, added[0].pk]),
        heading="Add an attribute",
        submit="Add attribute",
    )


@login_required
def attribute_view(request, framework_id: int, attribute_id: int):
    framework = _framework(request, framework_id)
    attribute = _in_framework(Attribute, framework, attribute_id)
    return render(
        request,
        "frameworks/editing/attribute.html",
        {
            "framework": framework,
            "version": attribute.version,
            "attribute": attribute,
            "cells": selectors.attribute_cells(attribute),
        },
    )


@login_required
@GET_POST
def attribute_edit(request, framework_id: int, attribute_id: int):
    framework = _framework(request, framework_id)
    attribute = _in_framework(Attribute, framework, attribute_id)
    form = forms.AttributeForm(_data(request), initial=_attribute_values(attribute))
    back = reverse("framework_editing:attribute", args=[framework.pk, attribute.pk])

    def save(data):
        services.attribute_save(version=attribute.version, attribute=attribute, actor=request.user, **data)
        return f"{attribute.name} saved."

    return _form_page(
        request,
        framework=framework,
        version=attribute.version,
        form=form,
        save=save,
        done=back,
        heading=f"Change {attribute.name}",
        back=back,
    )


@login_required
@GET_POST
def attribute_delete(request, framework_id: int, attribute_id: int):
    framework = _framework(request, framework_id)
    attribute = _in_framework(Attribute, framework, attribute_id)
    return _delete_page(
        request,
        framework=framework,
        version=attribute.version,
        thing=f"the attribute {attribute.name}",
        consequence="Its behaviour indicators and its mapping to the previous version are deleted with it.",
        delete=lambda: services.attribute_delete(attribute=attribute, actor=request.user),
        done=_framework_url(framework) + "#attributes",
        back=reverse("framework_editing:attribute", args=[framework.pk, attribute.pk]),
    )


@login_required
@GET_POST
def attribute_mapping(request, framework_id: int, attribute_id: int):
    framework = _framework(request, framework_id)
    attribute = _in_framework(Attribute, framework, attribute_id)
    version = attribute.version
    if version.previous_id is None:
        raise Http404("The first version maps to nothing.")
    previous = list(Attribute.objects.filter(version_id=version.previous_id))
    mappings = list(attribute.mapped_from.all())
    form = forms.MappingForm(
        _data(request),
        previous_attributes=previous,
        initial={
            "previous_attributes": [m.previous_attribute_id for m in mappings],
            "relation": mappings[0].relation if mappings else AttributeMapping.Relation.SAME,
        },
    )
    chosen = {a.pk: a for a in previous}

    def save(data):
        services.attribute_mapping_set(
            attribute=attribute,
            previous_attributes=[chosen[pk] for pk in data["previous_attributes"]],
            relation=data["relation"],
            actor=request.user,
        )
        return f"How {attribute.name} maps to version {version.previous.number} is saved."

    return _form_page(
        request,
        framework=framework,
        version=version,
        form=form,
        save=save,
        done=_framework_url(framework) + "#attributes",
        heading=f"How {attribute.name} maps to version {version.previous.number}",
    )


# -- behaviour indicators ---------------------------------------------------------------------


def _indicator_page(request, *, framework, attribute, indicator=None):
    version = attribute.version
    tiers = list(Tier.objects.filter(version=version))
    by_pk = {t.pk: t for t in tiers}
    initial = (
        {"tier": indicator.tier_id, "kind": indicator.kind, "text": indicator.text}
        if indicator
        else {"tier": request.GET.get("tier", ""), "kind": request.GET.get("kind", BehaviourIndicator.Kind.POSITIVE)}
    )
    form = forms.IndicatorForm(_data(request), tiers=tiers, initial=initial)
    back = reverse("framework_editing:attribute", args=[framework.pk, attribute.pk])

    def save(data):
        saved = services.indicator_save(
            attribute=attribute,
            indicator=indicator,
            tier=by_pk[data["tier"]],
            kind=data["kind"],
            text=data["text"],
            actor=request.user,
        )
        return f"Indicator for {saved.tier.name} saved."

    return _form_page(
        request,
        framework=framework,
        version=version,
        form=form,
        save=save,
        done=back,
        back=back,
        heading=f"{'Change an' if indicator else 'Add an'} indicator for {attribute.name}",
        submit="Save indicator" if indicator else "Add indicator",
    )


@login_required
@GET_POST
def indicator_new(request, framework_id: int, attribute_id: int):
    framework = _framework(request, framework_id)
    return _indicator_page(request, framework=framework, attribute=_in_framework(Attribute, framework, attribute_id))


@login_required
@GET_POST
def indicator_edit(request, framework_id: int, indicator_id: int):
    framework = _framework(request, framework_id)
    indicator = _in_framework(BehaviourIndicator, framework, indicator_id)
    return _indicator_page(request, framework=framework, attribute=indicator.attribute, indicator=indicator)


@login_required
@GET_POST
def indicator_delete(request, framework_id: int, indicator_id: int):
    framework = _framework(request, framework_id)
    indicator = _in_framework(BehaviourIndicator, framework, indicator_id)
    back = reverse("framework_editing:attribute", args=[framework.pk, indicator.attribute_id])
    return _delete_page(
        request,
        framework=framework,
        version=indicator.version,
        thing=f"the indicator “{indicator.text[:80]}”",
        consequence=f"It is one of {indicator.attribute.name}'s indicators for {indicator.tier.name}.",
        delete=lambda: services.indicator_delete(indicator=indicator, actor=request.user),
        done=back,
        back=back,
    )


# -- tiers ------------------------------------------------------------------------------------


def _tier_page(request, *, framework, version, tier=None):
    if tier:
        initial = {
            "name": tier.name,
            "key": tier.key,
            "rank": tier.rank,
            "audience": tier.audience,
            "description": tier.description,
            "grades": ", ".join(tier.grade_mappings.values_list("grade", flat=True)),
        }
    else:
        initial = {"rank": max(version.tiers.values_list("rank", flat=True), default=0) + 1}
    form = forms.TierForm(_data(request), initial=initial, with_grades=framework.owner_organisation_id is not None)

    def save(data):
        data = {**data, "grades": services.parse_grades(data.get("grades", ""))}
        saved = services.tier_save(version=version, tier=tier, actor=request.user, **data)
        return f"{saved.name} saved."

    return _form_page(
        request,
        framework=framework,
        version=version,
        form=form,
        save=save,
        done=_framework_url(framework) + "#tiers",
        heading=f"Change {tier.name}" if tier else "Add a tier",
        submit="Save" if tier else "Add tier",
    )


@login_required
@GET_POST
def tier_new(request, framework_id: int):
    framework = _framework(request, framework_id)
    return _tier_page(request, framework=framework, version=_version(framework))


@login_required
@GET_POST
def tier_edit(request, framework_id: int, tier_id: int):
    framework = _framework(request, framework_id)
    tier = _in_framework(Tier, framework, tier_id)
    return _tier_page(request, framework=framework, version=tier.version, tier=tier)


@login_required
@GET_POST
def tier_delete(request, framework_id: int, tier_id: int):
    framework = _framework(request, framework_id)
    tier = _in_framework(Tier, framework, tier_id)
    return _delete_page(
        request,
        framework=framework,
        version=tier.version,
        thing=f"the tier {tier.name}",
        consequence="Every attribute's indicators for this tier, and its HR grades, are deleted with it.",
        delete=lambda: services.tier_delete(tier=tier, actor=request.user),
        done=_framework_url(framework) + "#tiers",
        back=_framework_url(framework) + "#tiers",
    )


# -- values, channels and definitions ---------------------------------------------------------


def _value_page(request, *, framework, version, value=None):
    attributes = list(Attribute.objects.filter(version=version))
    by_pk = {a.pk: a for a in attributes}
    if value:
        initial = {
            "name": value.name,
            "description": value.description,
            "order": value.order,
            "attributes": list(value.attributes.values_list("pk", flat=True)),
        }
    else:
        initial = {"order": max(version.values.values_list("order", flat=True), default=0) + 1}
    form = forms.ValueForm(_data(request), attributes=attributes, initial=initial)

    def save(data):
        saved = services.value_save(
            version=version,
            value=value,
            actor=request.user,
            name=data["name"],
            description=data["description"],
            order=data["order"],
            attributes=[by_pk[pk] for pk in data["attributes"]],
        )
        return f"{saved.name} saved."

    return _form_page(
        request,
        framework=framework,
        version=version,
        form=form,
        save=save,
        done=_framework_url(framework) + "#values",
        heading=f"Change {value.name}" if value else "Add a value",
        submit="Save" if value else "Add value",
    )


@login_required
@GET_POST
def value_new(request, framework_id: int):
    framework = _framework(request, framework_id)
    return _value_page(request, framework=framework, version=_version(framework))


@login_required
@GET_POST
def value_edit(request, framework_id: int, value_id: int):
    framework = _framework(request, framework_id)
    value = _in_framework(Value, framework, value_id)
    return _value_page(request, framework=framework, version=value.version, value=value)


@login_required
@GET_POST
def value_delete(request, framework_id: int, value_id: int):
    framework = _framework(request, framework_id)
    value = _in_framework(Value, framework, value_id)
    return _delete_page(
        request,
        framework=framework,
        version=value.version,
        thing=f"the value {value.name}",
        consequence="The attributes that support it stay.",
        delete=lambda: services.value_delete(value=value, actor=request.user),
        done=_framework_url(framework) + "#values",
        back=_framework_url(framework) + "#values",
    )


def _channel_page(request, *, framework, version, channel=None):
    if channel:
        initial = {
            "kind": channel.kind,
            "name": channel.name,
            "description": channel.description,
            "order": channel.order,
        }
    else:
        initial = {"order": max(version.channels.values_list("order", flat=True), default=0) + 1}
    form = forms.ChannelForm(_data(request), initial=initial)

    def save(data):
        saved = services.channel_save(version=version, channel=channel, actor=request.user, **data)
        return f"{saved.name} saved."

    return _form_page(
        request,
        framework=framework,
        version=version,
        form=form,
        save=save,
        done=_framework_url(framework) + "#channels",
        heading=f"Change {channel.name}" if channel else "Add a channel",
        submit="Save" if channel else "Add channel",
    )


@login_required
@GET_POST
def channel_new(request, framework_id: int):
    framework = _framework(request, framework_id)
    return _channel_page(request, framework=framework, version=_version(framework))


@login_required
@GET_POST
def channel_edit(request, framework_id: int, channel_id: int):
    framework = _framework(request, framework_id)
    channel = _in_framework(Channel, framework, channel_id)
    return _channel_page(request, framework=framework, version=channel.version, channel=channel)


@login_required
@GET_POST
def channel_delete(request, framework_id: int, channel_id: int):
    framework = _framework(request, framework_id)
    channel = _in_framework(Channel, framework, channel_id)
    return _delete_page(
        request,
        framework=framework,
        version=channel.version,
        thing=f"the channel {channel.name}",
        consequence="",
        delete=lambda: services.channel_delete(channel=channel, actor=request.user),
        done=_framework_url(framework) + "#channels",
        back=_framework_url(framework) + "#channels",
    )


def _definition_page(request, *, framework, version, definition=None):
    initial = {"term": definition.term, "meaning": definition.meaning} if definition else {}
    form = forms.DefinitionForm(_data(request), initial=initial)

    def save(data):
        saved = services.definition_save(version=version, definition=definition, actor=request.user, **data)
        return f"{saved.term} saved."

    return _form_page(
        request,
        framework=framework,
        version=version,
        form=form,
        save=save,
        done=_framework_url(framework) + "#definitions",
        heading=f"Change the definition of {definition.term}" if definition else "Add a key definition",
        submit="Save" if definition else "Add definition",
    )


@login_required
@GET_POST
def definition_new(request, framework_id: int):
    framework = _framework(request, framework_id)
    return _definition_page(request, framework=framework, version=_version(framework))


@login_required
@GET_POST
def definition_edit(request, framework_id: int, definition_id: int):
    framework = _framework(request, framework_id)
    definition = _in_framework(Definition, framework, definition_id)
    return _definition_page(request, framework=framework, version=definition.version, definition=definition)


@login_required
@GET_POST
def definition_delete(request, framework_id: int, definition_id: int):
    framework = _framework(request, framework_id)
    definition = _in_framework(Definition, framework, definition_id)
    return _delete_page(
        request,
        framework=framework,
        version=definition.version,
        thing=f"the definition of {definition.term}",
        consequence="",
        delete=lambda: services.definition_delete(definition=definition, actor=request.user),
        done=_framework_url(framework) + "#definitions",
        back=_framework_url(framework) + "#definitions",
    )
