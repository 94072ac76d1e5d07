"""The cockpit's filters: as-of month, section, lead department. A GET form, also without JS."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.periods import Period


class CockpitForm(forms.Form):
    """Choices come from the board: the months so far, the plans' sections, the lead departments.

    A value that is not among them (a department of another month's plans, a typed URL) is
    dropped rather than refused: the cockpit then shows everything, as a leader expects.
    """

    period = forms.ChoiceField(label=_("As of"), required=False)
    section = forms.TypedChoiceField(label=_("Section"), required=False, coerce=int, empty_value=None)
    department = forms.TypedChoiceField(
        label=_("Lead department"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        data,
        *,
        periods: list[Period],
        sections: list[tuple[int, str]],
        departments: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        self.fields["period"].choices = [(str(p), p.label) for p in periods]
        self.fields["section"].choices = [("", _("All sections")), *sections]
        self.fields["department"].choices = [("", _("All departments")), *departments]
