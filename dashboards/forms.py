"""The cockpit's filters: as-of month, region below, section, lead department. A GET form, also without JS."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.periods import Period


class CockpitForm(forms.Form):
    """Choices come from the board: the months so far, the regions below, and — for the plans of
    one region — their sections and lead departments.

    A value that is not among them (a department of another month's plans, a typed URL) is
    dropped rather than refused: the cockpit then shows everything, as a leader expects.
    """

    period = forms.ChoiceField(label=_("As of"), required=False)
    region = forms.TypedChoiceField(label=_("Region"), required=False, coerce=int, empty_value=None)
    section = forms.TypedChoiceField(label=_("Section"), required=False, coerce=int, empty_value=None)
    department = forms.TypedChoiceField(
        label=_("Lead department"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, params, *, periods: list[Period], regions: list[tuple[int, str]]) -> None:
        super().__init__({name: params.get(name, "") for name in self.base_fields})
        self.fields["period"].choices = [(str(p), p.label) for p in periods]
        self.fields["region"].choices = [("", _("All regions")), *regions]
        self.offer(sections=[], departments=[])

    def offer(self, *, sections: list[tuple[int, str]], departments: list[tuple[int, str]]) -> None:
        """Offer sections and departments (once the region is known) and read the filters again."""
        self.fields["section"].choices = [("", _("All sections")), *sections]
        self.fields["department"].choices = [("", _("All departments")), *departments]
        self.full_clean()
        for name in self.errors:  # not a choice: shown unfiltered
            self.cleaned_data[name] = None

    def chosen_region(self) -> int | None:
        return self.cleaned_data.get("region")

    @property
    def offers_regions(self) -> bool:
        return len(self.fields["region"].choices) > 2

    @property
    def offers_sections(self) -> bool:
        return len(self.fields["section"].choices) > 1
