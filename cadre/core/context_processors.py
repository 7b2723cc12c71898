from django.conf import settings
from django.urls import reverse


def cadre(request):
    """What every page needs: the navigation for this user and whether the demo outbox is shown."""
    from cadre.core.models import Role
    from cadre.core.selectors import organisations_where

    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        path = request.path
        items.append({"text": "Home", "href": reverse("home")})
        items.append({"text": "People", "href": reverse("people:list")})
        items.append({"text": "Frameworks", "href": reverse("frameworks:list")})
        items.append({"text": "Feedback", "href": reverse("diagnostics:mine")})
        items.append({"text": "Catalogue", "href": reverse("catalogue:list")})
        items.append({"text": "Programmes", "href": reverse("programmes:list")})
        items.append({"text": "My learning", "href": reverse("learning:mine")})
        items.append({"text": "Mentoring", "href": reverse("mentoring:mine")})
        items.append({"text": "Groups", "href": reverse("groups:mine")})
        if organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN):
            items.append({"text": "360 campaigns", "href": reverse("diagnostics:campaigns")})
            items.append({"text": "Mentoring schemes", "href": reverse("mentoring:schemes")})
            items.append({"text": "Group forming", "href": reverse("groups:list")})
            items.append({"text": "Import staff", "href": reverse("people:import_upload")})
            items.append({"text": "Manage frameworks", "href": reverse("framework_editing:list")})
        if organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN, Role.EXECUTIVE_VIEWER):
            items.append({"text": "Capability", "href": reverse("diagnostics:heatmap")})
        if organisations_where(user, Role.ORG_ADMIN):
            items.append({"text": "Roles", "href": reverse("roles")})
            items.append({"text": "Audit log", "href": reverse("audit_log")})
        # The current page is the link whose address is the longest match: /people/import/ is
        # "Import staff", not "People" as well.
        matches = [
            item for item in items if path == item["href"] or (item["href"] != "/" and path.startswith(item["href"]))
        ]
        current = max(matches, key=lambda item: len(item["href"]), default=None)
        for item in items:
            item["active"] = item is current
    return {"show_outbox": settings.CADRE_SHOW_OUTBOX, "nav_items": items}
