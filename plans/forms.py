"""Forms of the plan pages and of the import review; every message is in the user's language."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from config.uploads import UploadField
from departments.models import Department, Region

from .importers.files import ImportFileError, read_table_upload, read_upload, read_upload_file
from .models import Indicator, Plan, Section

NAME_SPLIT = re.compile(r"[、，,；;\s]+")


class ImportForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Recognise from the title")), *Plan.Kind.choices]
    )
    file = UploadField(label=_("Plan file (.txt, .docx, or an Excel table .xlsx)"), required=False)
    text = forms.CharField(
        label=_("Or paste the plan's text"), required=False, widget=forms.Textarea({"rows": 8})
    )

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()
        if regions is not None and len(regions) == 1:  # one query, cached for the choices
            self.fields["region"].initial = regions[0].pk

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if upload and text:
            raise forms.ValidationError(_("Upload a file or paste text, not both."))
        if not upload and not text:
            raise forms.ValidationError(_("Choose a file or paste the plan's text."))
        if upload:
            data["table"], data["source"] = None, ""
            try:
                _name, raw = read_upload_file(upload)  # refused by size before it is read
                data["table"] = read_table_upload(upload.name, raw)
                if data["table"] is None:
                    data["source"] = read_upload(upload.name, raw)
            except ImportFileError as exc:
                self.add_error("file", str(exc))
            data["filename"] = upload.name
        else:
            data["source"], data["filename"], data["table"] = text, "", None
        return data


class PartForm(forms.Form):
    """Which plan of a compilation to import."""

    part = forms.TypedChoiceField(label=_("Plan to import"), coerce=int)

    def __init__(self, *args, parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [(p["part"], f"{p['part']}. {p['title']}") for p in parts]


class PlanMetaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)
    first_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Plan.Kind.choices)

    def clean(self):
        data = super().clean()
        if data.get("year") and data.get("first_year") and data["first_year"] > data["year"]:
            self.add_error("first_year", _("The first year cannot come after the last year."))
        return data


class SectionForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=20, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), choices=Section.Theme.choices, required=False)


class NamesField(forms.CharField):
    """Department names as people type them: separated by 、 ， , ; or spaces."""

    def to_python(self, value):
        value = super().to_python(value)
        return [name for name in NAME_SPLIT.split(value or "") if name]

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, list) else value


class TaskForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=20, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    lead = NamesField(label=_("Lead department"), required=False)
    co = NamesField(label=_("Co-responsible departments"), required=False)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Target"), max_length=200)
    value = forms.DecimalField(label=_("Target value"), required=False, max_digits=20, decimal_places=4)
    value_max = forms.DecimalField(label=_("Upper target"), required=False, max_digits=20, decimal_places=4)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    comparator = forms.ChoiceField(
        label=_("Comparator"), choices=Indicator.Comparator.choices, required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Indicator.Kind.choices)
    text = forms.CharField(label=_("Source sentence"), required=False, widget=forms.Textarea({"rows": 2}))

    def clean(self):
        data = super().clean()
        kind, comparator = data.get("kind"), data.get("comparator") or ""
        if kind == Indicator.Kind.QUALITATIVE:
            data.update(value=None, value_max=None, unit="", comparator=None)
            return data
        if data.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("A quantitative target needs a number."))
        if not comparator:
            self.add_error("comparator", _("Choose how the value is compared with the target."))
        if comparator == Indicator.Comparator.RANGE:
            low, high = data.get("value"), data.get("value_max")
            if high is None:
                self.add_error("value_max", _("A range needs its upper end."))
            elif low is not None and high < low:
                self.add_error("value_max", _("The upper end cannot be below the lower end."))
        else:
            data["value_max"] = None
        return data

    def as_item(self) -> dict:
        """The cleaned target in the importer's JSON form."""
        data = self.cleaned_data
        return {
            "text": data["text"],
            "name": data["name"],
            "value": _json_number(data["value"]),
            "value_max": _json_number(data["value_max"]),
            "unit": data["unit"],
            "comparator": data["comparator"] or None,
            "kind": data["kind"],
        }


def _json_number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class DepartmentChoiceForm(forms.Form):
    """Match one name of the plan to a department of the region, or create it."""

    CREATE = "create"

    name = forms.CharField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(label=_("Department"))

    def __init__(self, *args, departments: list[Department] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [
            ("", _("— choose —")),
            (self.CREATE, _("Create a new department with this name")),
            *((str(d.pk), f"{d.name}（{d.region.name}）") for d in departments),
        ]

    def as_choice(self) -> dict:
        choice = self.cleaned_data["choice"]
        return {"create": True} if choice == self.CREATE else {"department": int(choice)}
