"""Forms of the events pages."""

import datetime
import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from relations.events.calendars import MAX_MONTH, MIN_MONTH

MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


class MonthInput(forms.TextInput):
    # Browsers that know it offer a month picker; the others show a text box for "2025-09".
    input_type = "month"


class MonthForm(forms.Form):
    """The month the calendar page shows, as year-month ("2025-09")."""

    month = forms.CharField(label=_("Month"), required=False, max_length=20, widget=MonthInput)

    def clean_month(self) -> datetime.date | None:
        value = self.cleaned_data["month"]
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(_("Enter a month as year-month, for example 2025-09."), code="invalid")
        month = datetime.date(int(match[1]), int(match[2]), 1) if int(match[1]) else None
        if month is None or not MIN_MONTH <= month <= MAX_MONTH:
            raise forms.ValidationError(
                gettext("Choose a month between %(first)s and %(last)s.")
                % {"first": f"{MIN_MONTH:%Y-%m}", "last": f"{MAX_MONTH:%Y-%m}"},
                code="out_of_range",
            )
        return month
