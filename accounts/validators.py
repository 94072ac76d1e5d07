"""Password rules beyond Django's own, and one of Django's with its message put right."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its error in our catalog: Django 5.2 reworded the message and its Chinese
    catalog still has the old wording, so a short password was refused in English."""

    def get_error_message(self) -> str:
        return (
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )


class CharacterKindsValidator:
    """At least two of letters, digits and other characters (等保 2.0 asks for complexity)."""

    def __init__(self, min_kinds: int = 2) -> None:
        self.min_kinds = min_kinds

    def validate(self, password: str, user=None) -> None:
        kinds = (
            any(c.isalpha() for c in password)
            + any(c.isdigit() for c in password)
            + any(not c.isalnum() for c in password)
        )
        if kinds < self.min_kinds:
            raise ValidationError(
                _("This password uses only one kind of character: mix letters, digits or symbols."),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("Your password must mix at least two of letters, digits and symbols.")
