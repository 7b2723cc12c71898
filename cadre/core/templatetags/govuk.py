"""Template tags for GOV.UK components: `{% govuk "button" text="Save" %}`, `{% govuk_field form.email %}`,
`{% govuk_error_summary form %}`. Loaded as a builtin, so templates need no `{% load %}`."""

from django import template

from cadre.core import govuk

register = template.Library()


@register.simple_tag(name="govuk")
def govuk_component(name: str, params: dict | None = None, **kwargs):
    return govuk.render_component(name, {**(params or {}), **kwargs})


@register.simple_tag
def govuk_field(bound_field, page_heading: bool = False, classes: str = ""):
    return govuk.render_field(bound_field, is_page_heading=page_heading, classes=classes)


@register.simple_tag
def govuk_fields(form):
    from django.utils.safestring import mark_safe

    return mark_safe("".join(govuk.render_field(form[name]) for name in form.fields))  # noqa: S308


@register.simple_tag
def govuk_error_summary(form=None, errors=None):
    return govuk.error_summary(form, extra=errors)
