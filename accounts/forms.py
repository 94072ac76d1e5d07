from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReleaseForm(forms.Form):
    """Unlock one account; only one the coordinator oversees (else the view answers 404)."""

    username = forms.CharField(max_length=150, widget=forms.HiddenInput)

    def __init__(self, *args, usernames: QuerySet | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.usernames = usernames

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if self.usernames is not None and username not in set(self.usernames):
            raise forms.ValidationError(_("You do not oversee this account."), code="outside_scope")
        return username


class LoginLogForm(forms.Form):
    DAYS = [(1, _("today and yesterday")), (7, _("7 days")), (30, _("30 days")), (180, _("180 days"))]

    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    days = forms.TypedChoiceField(label=_("Period"), choices=DAYS, coerce=int, initial=30, required=False)

    def filters(self) -> dict:
        """What the log shows: the valid filters, or the last 30 days of everyone."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        days = data.get("days") or 30
        since: datetime = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return {"username": (data.get("username") or "").strip(), "since": since - timedelta(days=days)}
