"""Forms of the outputs: the ledger's download choices, a region's export, issuing and answering a 督办单."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from departments.models import Department, Region
from plans.models import Plan, Responsibility, Section
from plans.periods import Period, selectable_periods

from .models import ExportJob


class LedgerForm(forms.Form):
    """As of which month, and optionally for one department or one section."""

    as_of = forms.ChoiceField(label=_("As of"))
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False, empty_label=_("All")
    )
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, plan: Plan, seen_by: set[int] | None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = selectable_periods([plan])
        self.fields["as_of"].choices = [(str(p), p.label) for p in reversed(choices)]
        self.fields["as_of"].initial = str(choices[-1])
        departments = Department.objects.filter(
            pk__in=Responsibility.objects.filter(task__section__plan=plan).values("department_id")
        ).order_by("name")
        if seen_by is not None:
            departments = departments.filter(pk__in=seen_by)
        self.fields["department"].queryset = departments
        self.fields["section"].queryset = plan.sections.order_by("position")

    def clean_as_of(self) -> Period:
        return Period.parse(self.cleaned_data["as_of"])


class IssueForm(forms.Form):
    response_due = forms.DateField(label=_("Answer due by"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("What is asked"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    response = forms.CharField(
        label=_("What your department has done"), widget=forms.Textarea(attrs={"rows": 6})
    )


class ExportForm(forms.Form):
    """Which export of which region, as of which month: the regions the user oversees."""

    kind = forms.ChoiceField(label=_("Export"), choices=ExportJob.Kind.choices, widget=forms.RadioSelect)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), empty_label=None)
    as_of = forms.ChoiceField(label=_("As of"))

    def __init__(self, *args, regions, periods: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = ExportJob.Kind.LEDGER
        self.fields["region"].queryset = regions
        self.fields["as_of"].choices = [(str(p), p.label) for p in reversed(periods)]
        if periods:
            self.fields["as_of"].initial = str(periods[-1])

    def clean_as_of(self) -> Period:
        return Period.parse(self.cleaned_data["as_of"])
