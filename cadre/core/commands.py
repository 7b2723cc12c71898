"""What the `cadre` commands share."""


def unknown_organisation(slug: str) -> str:
    """The message for an organisation slug that matches none, listing the slugs there are."""
    from cadre.core.models import Organisation

    slugs = list(Organisation.objects.order_by("slug").values_list("slug", flat=True)[:11])
    known = ", ".join(slugs[:10]) + (" and more" if len(slugs) > 10 else "")
    return f"No organisation has the slug {slug}." + (f" The organisations are: {known}." if slugs else "")
