"""Deployment checks of our own (`manage.py check --deploy`): what Django's list cannot know.

Each one would let production run and quietly fail its users: reminders recorded as sent that
no one receives, emails without a link, a database that refuses concurrent writers.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

MAIL_NOWHERE = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def production_settings(app_configs, **kwargs) -> list:
    if settings.DEBUG:
        return []
    problems = []
    if settings.EMAIL_BACKEND in MAIL_NOWHERE:
        problems.append(
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: reminders would be recorded as sent "
                "and never reach anyone.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST "
                "to the intranet's mail relay.",
                id="keji.E001",
            )
        )
    site_url = settings.SITE_URL
    if not site_url.startswith(("http://", "https://")):
        problems.append(
            Error(
                "SITE_URL is not set to the address people open the app at: reminder emails "
                "would carry no working link.",
                hint="Set SITE_URL, e.g. https://keji.xx.gov.cn",
                id="keji.E002",
            )
        )
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        problems.append(
            Warning(
                "The database is SQLite, the demo's database; production runs on PostgreSQL "
                "(backups with pg_dump, many writers at once).",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/name",
                id="keji.W003",
            )
        )
    return problems
