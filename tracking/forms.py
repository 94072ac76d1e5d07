"""Forms of monthly reporting; numbers are read the way people type them."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from config.uploads import UploadField
from plans.models import Plan
from plans.numbers import parse_value

from .evidence import check_evidence


class TypedNumberField(forms.CharField):
    """A number as people type it (1,576 / 1576家 / 1.5亿), read into the target's unit; blank is None."""

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    def clean(self, value):
        text = super().clean(value)
        if not text.strip():
            return None
        try:
            return parse_value(text, self.unit)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


NO_VERSION = _(
    "This form did not say which version of the report it shows; nothing was done. Reload the page."
)


class ReportForm(forms.Form):
    """What a department types for a month: the figure to date and three short texts.

    `value` is kept as typed (1,576 / 1.5亿) and read into the target's unit in clean_value,
    so a message can say exactly what could not be read while the typed text stays in place.
    """

    value = TypedNumberField(label=_("Value to date"), required=False, max_length=40)
    progress = forms.CharField(label=_("Progress"), required=False, widget=forms.Textarea({"rows": 3}))
    problems = forms.CharField(label=_("Problems"), required=False, widget=forms.Textarea({"rows": 2}))
    next_steps = forms.CharField(label=_("Next steps"), required=False, widget=forms.Textarea({"rows": 2}))
    version = forms.IntegerField(
        min_value=0, widget=forms.HiddenInput, error_messages={"required": NO_VERSION}
    )
    confirm_unusual = forms.BooleanField(label=_("The figure is right"), required=False)
    outlier_note = forms.CharField(label=_("Why it changed so much"), required=False, max_length=500)

    def __init__(self, *args, unit: str = "", numeric: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].unit = unit
        if not numeric:
            del self.fields["value"]

    def clean(self):
        data = super().clean()
        if data.get("confirm_unusual") and not (data.get("outlier_note") or "").strip():
            self.add_error("outlier_note", _("Say in a few words why the figure changed so much."))
        return data

    @property
    def confirms_unusual(self) -> bool:
        return bool(self.cleaned_data.get("confirm_unusual"))

    def report_data(self) -> dict:
        """The fields a report keeps, as cleaned (the value only when it could be read)."""
        data = {name: self.cleaned_data[name] for name in ("progress", "problems", "next_steps")}
        if "value" in self.fields and "value" not in self.errors:
            data["value"] = self.cleaned_data.get("value")
        if self.cleaned_data.get("confirm_unusual"):
            data["outlier_note"] = self.cleaned_data["outlier_note"].strip()
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea({"rows": 2}))


class SubmitForm(forms.Form):
    """Submitting says which version the user read on the confirmation; `confirm` is that reading."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    """Approve or return the version the reviewer saw."""

    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    version = forms.IntegerField(
        min_value=0, widget=forms.HiddenInput, error_messages={"required": NO_VERSION}
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the report is returned."))
        return data


class EvidenceForm(forms.Form):
    file = UploadField(label=_("Evidence file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = Path(upload.name).suffix.lower()
        allowed = settings.EVIDENCE_EXTENSIONS
        if extension not in allowed:
            raise forms.ValidationError(
                _("Files of type %(ext)s cannot be attached. Allowed: %(allowed)s")
                % {"ext": extension or "?", "allowed": " ".join(allowed)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(limit)s can be attached.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
            )
        check_evidence(upload)
        return upload


class ContributionForm(forms.Form):
    text = forms.CharField(label=_("What your department did"), widget=forms.Textarea({"rows": 3}))
    value = TypedNumberField(label=_("Figure (if any)"), required=False, max_length=40)

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].unit = unit


class OverrideForm(forms.Form):
    lamp = forms.ChoiceField(
        label=_("Lamp"),
        choices=[
            ("done", _("Met")),
            ("green", _("On track")),
            ("yellow", _("Lagging")),
            ("red", _("Seriously lagging")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea({"rows": 2}))


class CalendarForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["report_opens_day", "report_due_day", "report_grace_days", "lamp_green_gap", "lamp_red_gap"]

    def clean(self):
        data = super().clean()
        opens, due = data.get("report_opens_day"), data.get("report_due_day")
        if due is not None and not 1 <= due <= 28:
            self.add_error("report_due_day", _("Choose a day from 1 to 28, which every month has."))
        if opens is not None and due is not None and opens > due:
            self.add_error("report_opens_day", _("Reporting must open on or before the due day."))
        green, red = data.get("lamp_green_gap"), data.get("lamp_red_gap")
        if green is not None and red is not None and not green < red <= 100:
            self.add_error(
                "lamp_red_gap", _("Red must start further behind than green ends, at most 100 points.")
            )
        grace = data.get("report_grace_days")
        if grace is not None and grace > 15:
            self.add_error("report_grace_days", _("At most 15 grace days."))
        return data
