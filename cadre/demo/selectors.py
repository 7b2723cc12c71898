"""Reads about the demo."""

from cadre.core.models import Organisation, User
from cadre.demo.data import BOROUGH


def demo_is_loaded() -> bool:
    """The demo is there when its borough is: it is only ever written whole."""
    return Organisation.objects.filter(slug=BOROUGH.slug).exists()


def demo_sign_ins_present() -> list:
    """The demo sign-ins (`SignInRecord`s, in the order they are listed) that have a login in
    this database."""
    from cadre.demo.generate import generate_demo

    sign_ins = generate_demo().sign_ins
    present = set(User.objects.filter(email__in=[s.email for s in sign_ins]).values_list("email", flat=True))
    return [s for s in sign_ins if s.email in present]
