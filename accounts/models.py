"""What the site remembers about a user's password beyond its hash."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordState(models.Model):
    """Whether the user must choose a new password before doing anything else.

    Set when someone other than the user chose the password (an administrator adding the
    user or setting a password for them): such an initial password has been written down or
    sent, so the security review (等保 2.0) requires the user to replace it at first login.
    A user without this row chose their own password (createsuperuser, the demo users).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="password_state",
    )
    must_change = models.BooleanField(_("must change the password at next login"), default=False)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("password set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("password set at"), null=True, blank=True)

    class Meta:
        verbose_name = _("password state")
        verbose_name_plural = _("password states")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def must_change_for(cls, user) -> bool:
        return cls.objects.filter(user=user, must_change=True).exists()
