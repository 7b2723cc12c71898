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
        if organisations_where(user, Role.LD_ADMIN, Role.ORG_ADMIN):
            items.append({"text": "Import staff", "href": reverse("people:import_upload")})
        if organisations_where(user, Role.ORG_ADMIN):
            items.append({"text": "Roles", "href": reverse("roles")})
            items.append({"text": "Audit log", "href": reverse("audit_log")})
        for item in items:
            item["active"] = path == item["href"] if item["href"] == "/" else path.startswith(item["href"])
    return {"show_outbox": settings.CADRE_SHOW_OUTBOX, "nav_items": items}
