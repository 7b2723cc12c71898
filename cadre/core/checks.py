"""Deployment checks (`cadre check --deploy`): settings that must never reach production."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def outbox_is_not_used_in_production(app_configs, **kwargs):
    problems = []
    if settings.EMAIL_BACKEND == "cadre.core.mail.OutboxBackend":
        problems.append(
            Error(
                "Emails are kept in the demonstration outbox instead of being sent.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the EMAIL_HOST settings.",
                id="cadre.E001",
            )
        )
    if settings.CADRE_SHOW_OUTBOX:
        problems.append(
            Error(
                "The outbox page, which shows every email sent to anyone, is switched on.",
                hint="Unset CADRE_DEMO and DEBUG.",
                id="cadre.E002",
            )
        )
    return problems
