"""GOV.UK Frontend components rendered from the official macros (ported to Jinja by
govuk-frontend-jinja, which govuk-frontend-django uses). One Jinja environment is built once and
its compiled macros are cached, so a page with many components stays fast."""

from functools import cache

from django import forms
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, PackageLoader, PrefixLoader, select_autoescape
from markupsafe import Markup


@cache
def _environment() -> Environment:
    return Environment(
        loader=PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        autoescape=select_autoescape(default=True, default_for_string=True),
        auto_reload=False,
        cache_size=-1,
    )


def _macro_name(component: str) -> str:
    return "govuk" + "".join(part.capitalize() for part in component.split("-"))


@cache
def _template(component: str):
    source = (
        f"{{%- from 'govuk_frontend_jinja/components/{component}/macro.html' import {_macro_name(component)} -%}}"
        f"{{{{ {_macro_name(component)}(params) }}}}"
    )
    return _environment().from_string(source)


def _jinja_safe(value):
    """Carry Django's safe strings across as Jinja's, recursively."""
    if isinstance(value, SafeString):
        return Markup(str(value))  # noqa: S704 (already marked safe by Django)
    if isinstance(value, dict):
        return {k: _jinja_safe(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_jinja_safe(v) for v in value]
    return value


def render_component(component: str, params: dict) -> SafeString:
    return mark_safe(_template(component).render(params=_jinja_safe(params)))  # noqa: S308 (macros escape)


def _error_message(bound: forms.BoundField) -> dict | None:
    return {"text": " ".join(str(e) for e in bound.errors)} if bound.errors else None


def _label(bound: forms.BoundField, *, is_page_heading: bool = False, classes: str = "") -> dict:
    return {
        "text": str(bound.label),
        "isPageHeading": is_page_heading,
        "classes": classes or ("govuk-label--l" if is_page_heading else "govuk-label--s"),
    }


def _fieldset(bound: forms.BoundField, *, is_page_heading: bool = False) -> dict:
    return {
        "legend": {
            "text": str(bound.label),
            "isPageHeading": is_page_heading,
            "classes": "govuk-fieldset__legend--l" if is_page_heading else "govuk-fieldset__legend--s",
        }
    }


def _hint(bound: forms.BoundField) -> dict | None:
    return {"text": str(bound.help_text)} if bound.help_text else None


def _autocomplete(widget: forms.Widget) -> str | None:
    return widget.attrs.get("autocomplete")


def render_field(bound: forms.BoundField, *, is_page_heading: bool = False, classes: str = "") -> SafeString:
    """Render a Django form field as the matching GOV.UK component, keeping what the user typed."""
    widget = bound.field.widget
    if bound.is_hidden:
        return mark_safe(str(bound))  # noqa: S308 (Django renders and escapes the hidden input)
    field_id = bound.auto_id or f"id_{bound.html_name}"
    common = {
        "id": field_id,
        "name": bound.html_name,
        "hint": _hint(bound),
        "errorMessage": _error_message(bound),
    }
    value = bound.value()
    extra_attributes = {
        k: v
        for k, v in widget.attrs.items()
        if k not in {"class", "autocomplete", "id", "required", "maxlength", "type"}
        and v is not None
        and v is not False
    }
    if isinstance(widget, forms.Textarea):
        return render_component(
            "textarea",
            {
                **common,
                "label": _label(bound, is_page_heading=is_page_heading),
                "value": "" if value is None else str(value),
                "rows": widget.attrs.get("rows", 5),
                "classes": classes or None,
                "attributes": extra_attributes or None,
            },
        )
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v is not None}
        items = [
            {"value": str(choice_value), "text": str(choice_label), "checked": str(choice_value) in selected}
            for choice_value, choice_label in bound.field.choices
            if str(choice_value) != ""
        ]
        # CheckboxSelectMultiple is a kind of RadioSelect in Django, so ask about it first.
        component = "checkboxes" if isinstance(widget, forms.CheckboxSelectMultiple) else "radios"
        return render_component(
            component,
            {
                **common,
                "idPrefix": field_id,
                "fieldset": _fieldset(bound, is_page_heading=is_page_heading),
                "items": items,
                "classes": classes or ("govuk-radios--small" if component == "radios" else None),
            },
        )
    if isinstance(widget, forms.CheckboxInput):
        return render_component(
            "checkboxes",
            {
                "idPrefix": field_id,
                "name": bound.html_name,
                "errorMessage": _error_message(bound),
                "items": [
                    {
                        "value": "on",
                        "text": str(bound.label),
                        "checked": bool(value),
                        "id": field_id,
                        "hint": _hint(bound),
                    }
                ],
                "classes": "govuk-checkboxes--small",
            },
        )
    if isinstance(widget, forms.Select):
        selected = "" if value is None else str(value)
        items = [{"value": str(v), "text": str(t), "selected": str(v) == selected} for v, t in bound.field.choices]
        return render_component(
            "select",
            {**common, "label": _label(bound, is_page_heading=is_page_heading), "items": items},
        )
    if isinstance(widget, forms.FileInput):
        return render_component(
            "file-upload",
            {
                **common,
                "label": _label(bound, is_page_heading=is_page_heading),
                "attributes": {"accept": widget.attrs["accept"]} if widget.attrs.get("accept") else None,
            },
        )
    input_type = getattr(widget, "input_type", "text")
    params = {
        **common,
        "label": _label(bound, is_page_heading=is_page_heading),
        "type": input_type,
        "value": None if input_type == "password" or value in (None, "") else str(value),
        "autocomplete": _autocomplete(widget),
        "classes": classes or widget.attrs.get("class"),
        "spellcheck": False if input_type in {"email", "password"} else None,
        "attributes": extra_attributes or None,
    }
    if input_type == "password":
        return render_component("password-input", params)
    return render_component("input", params)


def error_summary(form: forms.Form | None, *, extra: list[dict] | None = None) -> SafeString:
    """The GOV.UK error summary for a form, linking each message to its field."""
    items: list[dict] = list(extra or [])
    if form is not None and form.is_bound and form.errors:
        for error in form.non_field_errors():
            items.append({"text": str(error)})
        for name in form.fields:
            bound = form[name]
            for error in bound.errors:
                items.append({"text": str(error), "href": f"#{bound.auto_id or 'id_' + name}"})
    if not items:
        return mark_safe("")
    return render_component("error-summary", {"titleText": "There is a problem", "errorList": items})
