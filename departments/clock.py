"""The one clock: `today()` and `now()` are the only source of "now" in the product.

The demo moves both (its plans are of 2024, so `REPORTING_TODAY` pretends it is a day of June
2024): dates, deadlines, late flags, the timestamps written on records (`Timestamp`) and the
dates of history rows (`History`) all agree with the day the demo shows. It lives in the lowest
app so that every app, from memberships up, dates what it writes by it.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


def today() -> date:
    """Today in the bureau's time zone, or the demo's day (REPORTING_TODAY)."""
    if settings.REPORTING_TODAY:
        return date.fromisoformat(settings.REPORTING_TODAY)
    return timezone.localdate()


def now() -> datetime:
    """This moment; on the demo's day, that day at the present time of day.

    Records written in the demo (a submission, a review, a reminder) then carry the day the
    demo shows, so that a June report submitted "today" is not marked late because the real
    calendar says it is 2026.
    """
    moment = timezone.now()
    if not settings.REPORTING_TODAY:
        return moment
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.combine(today(), local.time()), timezone.get_current_timezone())


def start_of(day: date) -> datetime:
    """The first moment of a day in the bureau's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


class Timestamp(models.DateTimeField):
    """A moment written on a record, from the one clock (`now()`): with auto_now(_add) it is set
    on save as Django's own field does, but on the demo's day, not the real one."""

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)


class History(HistoricalRecords):
    """Every change kept on record (django-simple-history), dated by the one clock."""

    def create_historical_record(self, instance, history_type, using=None):
        if not hasattr(instance, "_history_date"):
            instance._history_date = now()
        try:
            return super().create_historical_record(instance, history_type, using)
        finally:
            del instance._history_date
