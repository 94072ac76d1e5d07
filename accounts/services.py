"""Writes about passwords: an initial password handed out, a password changed by its owner."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import PasswordState


@transaction.atomic
def require_password_change(*, user, by) -> PasswordState:
    """Mark the password `by` just gave `user` as an initial one, to be replaced at first login."""
    state, _ = PasswordState.objects.update_or_create(
        user=user, defaults={"must_change": True, "set_by": by, "set_at": timezone.now()}
    )
    return state


def password_changed(*, user) -> None:
    """The user chose their own password: nothing more to force."""
    PasswordState.objects.filter(user=user, must_change=True).update(
        must_change=False, set_by=user, set_at=timezone.now()
    )
