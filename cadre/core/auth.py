"""How sign-in fits Cadre: logins come by invitation (or single sign-on for someone the HR import
already knows), never by open sign-up."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def _person_for(self, sociallogin):
        from cadre.people.models import Person

        email = (sociallogin.user.email or "").strip().lower()
        if not email:
            return None
        return (
            Person.objects.filter(email__iexact=email, user__isnull=True, status=Person.Status.ACTIVE)
            .select_related("organisation")
            .first()
        )

    def is_open_for_signup(self, request, sociallogin) -> bool:
        """Single sign-on may create a login only for an active person Cadre already knows."""
        return self._person_for(sociallogin) is not None

    def save_user(self, request, sociallogin, form=None):
        from cadre.core.models import Membership, Role

        person = self._person_for(sociallogin)
        user = super().save_user(request, sociallogin, form)
        if person is not None:
            if not user.full_name:
                user.full_name = person.full_name
                user.save(update_fields=["full_name"])
            person.user = user
            person.save(update_fields=["user"])
            Membership.objects.get_or_create(user=user, organisation=person.organisation, role=Role.MEMBER)
        return user
