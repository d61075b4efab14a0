"""Submit an admin change form the way a browser would: the values it rendered, plus changes."""

import datetime

from django.db.models import Model


def _value(value):
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return "" if value is None else str(value)


def _form_data(form, data: dict) -> None:
    for bound in form:
        value = bound.value()
        if bound.field.widget.needs_multipart_form and not isinstance(value, str):
            continue  # files are not resent
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [_value(v) for v in value]
        else:
            data[bound.html_name] = _value(value)


def admin_form_data(response, **changes) -> dict:
    """The POST data of the admin change (or revert) form in ``response``, with ``changes`` applied."""
    data: dict = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _form_data(formset.management_form, data)
        for form in formset.forms:
            _form_data(form, data)
    data.update(changes)
    return data
