"""`{% learning_record_link person %}`: a link to the person's learning record, for a page (the
person's page in People) that only shows people the viewer may already see, and only when the
viewer may open the record. It adds no query for the person, their line managers or administrators."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from cadre.core.models import Role
from cadre.core.selectors import organisations_where
from cadre.learning import selectors
from cadre.people.selectors import person_of

register = template.Library()


def record_link_allowed(user, person) -> bool:
    """As `selectors.may_view_record`, for a person the viewer can already see in People: someone
    who is not an administrator or executive viewer of the person's organisation sees them only
    through the line-management chain (or as themself), which is enough to see their record."""
    if person.organisation_id in selectors.administered_organisations(user):
        return True
    me = person_of(user)
    if me is not None and me.pk == person.pk:
        return True
    if person.organisation_id not in organisations_where(user, Role.EXECUTIVE_VIEWER):
        return True
    return selectors.may_view_record(user, person)


@register.simple_tag(takes_context=True)
def learning_record_link(context, person):
    request = context.get("request")
    if request is None or person is None or not record_link_allowed(request.user, person):
        return ""
    url = reverse("learning:record", args=[person.pk])
    text = "Your learning record" if person.user_id == request.user.pk else f"{person.first_name}'s learning record"
    return format_html('<p class="govuk-body"><a class="govuk-link" href="{}">{}</a></p>', url, text)
