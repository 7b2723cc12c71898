"""Adopting a shared framework from its reading page: the choice (as it is, or extended with the
organisation's own attributes), the HR grades for its tiers, and a confirm button. Thin: the
service in `adoption` decides."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from cadre.core.errors import PermissionDenied, ValidationError
from cadre.core.forms import GovukForm, add_problems
from cadre.frameworks import selectors
from cadre.frameworks.adoption import adoption_of, framework_adopt, organisations_that_may_adopt
from cadre.frameworks.editing.services import parse_grades
from cadre.frameworks.models import FrameworkVersion

AS_IS = "as_is"
EXTEND = "extend"


class AdoptForm(GovukForm):
    organisation = forms.TypedChoiceField(label="Which organisation adopts it", coerce=int, widget=forms.RadioSelect)
    how = forms.ChoiceField(
        label="How do you want to adopt it?",
        widget=forms.RadioSelect,
        choices=[
            (AS_IS, "As it is: publish it now for our people"),
            (EXTEND, "Extend it with our own attributes: start a draft to add to, then publish it"),
        ],
        error_messages={"required": "Choose whether to adopt it as it is or extend it."},
    )

    def __init__(self, *args, organisations, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        if len(organisations) == 1:
            del self.fields["organisation"]
            self.organisation = organisations[0]
        else:
            self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
            self.fields["organisation"].error_messages["required"] = "Choose the organisation that adopts it."
            self.organisation = None
        self._organisations = {o.pk: o for o in organisations}
        self.tier_keys = []
        for tier in tiers:
            name = f"grades_{tier.key}"
            self.tier_keys.append((name, tier.key))
            self.fields[name] = forms.CharField(
                label=f"HR grades for tier {tier.rank}: {tier.name} (optional)",
                required=False,
                help_text="Separate grades with commas. People on these grades are placed in this tier.",
            )

    def chosen_organisation(self):
        return self.organisation or self._organisations[self.cleaned_data["organisation"]]

    def grades(self) -> dict[str, list[str]]:
        return {key: parse_grades(self.cleaned_data[name]) for name, key in self.tier_keys}


def _source_or_404(request, framework_id: int) -> tuple[FrameworkVersion, list]:
    """The shared framework's published version and the organisations the user may adopt it for."""
    version = selectors.version_for(request.user, framework_id)
    organisations = organisations_that_may_adopt(request.user, version) if version is not None else []
    if not organisations:
        raise Http404("No such framework to adopt.")
    return version, organisations


@login_required
@require_http_methods(["GET", "POST"])
def adopt(request, framework_id: int):
    version, organisations = _source_or_404(request, framework_id)
    tiers = list(version.tiers.all())
    form = AdoptForm(request.POST if request.method == "POST" else None, organisations=organisations, tiers=tiers)
    if request.method == "POST" and form.is_valid():
        extend = form.cleaned_data["how"] == EXTEND
        organisation = form.chosen_organisation()
        try:
            framework = framework_adopt(
                source=version, organisation=organisation, actor=request.user, extend=extend, grades=form.grades()
            )
        except ValidationError as error:
            add_problems(form, error)
        except PermissionDenied as error:
            raise Http404("No such framework to adopt.") from error
        else:
            if extend:
                message = f"{organisation.name} adopted {framework.name}. Add your own attributes, then publish it."
            else:
                message = f"{organisation.name} adopted {framework.name} as it is. It is published."
            messages.success(request, message)
            return redirect("framework_editing:framework", framework.pk)
    return render(
        request,
        "frameworks/adopt.html",
        {"version": version, "framework": version.framework, "form": form, "tiers": tiers},
    )


urlpatterns = [path("<id:framework_id>/adopt/", adopt, name="adopt")]


def adoption_context(user, framework, version: FrameworkVersion) -> dict:
    """For a framework's pages: whether the user may adopt this version, and for an adopted
    framework where it came from. No queries for an organisation's own framework not adopted."""
    return {
        "may_adopt": bool(organisations_that_may_adopt(user, version)),
        "adoption": adoption_of(framework),
    }
