import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in and staying signed in safely: lockout, passwords, sessions, the login log.

    Below `plans` in the layout: it knows departments (for a coordinator's scope) and nothing
    above them. The deployment checks of the whole site live here too (`checks.py`).
    """

    default = True
    name = "accounts"
    verbose_name = _("Accounts and logins")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the deployment checks)
        from .sessions import start_session

        user_logged_in.connect(start_session, dispatch_uid="accounts.start_session")


class AxesConfig(axes.apps.AppConfig):
    """django-axes under a name the admin can say in Chinese (its own app has no verbose name)."""

    default = False
    verbose_name = _("Login records")
