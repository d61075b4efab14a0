"""Shared ground for spreadsheet import and export in the admin (django-import-export).

Each app declares its resources in ``resources.py`` on top of ``RelationsResource``:

- every row is checked with the model's own ``full_clean`` (the admin's rules, constraints included);
- a row that fails is *rejected*, not fatal: the preview lists new, updated and rejected rows (with
  the reasons) together, and confirming imports the good rows only. Nothing is written before the
  user confirms (the preview runs inside a transaction that is rolled back);
- a row finds the record it updates by ``uuid`` when the file has one (an export round trip),
  otherwise by the natural identity each resource names in ``match_on``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django_countries import countries
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.results import RowResult

from relations.core.spreadsheets import restored


class CountryWidget(widgets.CharWidget):
    """A country as its ISO code ("TM") or its English name ("Turkmenistan")."""

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return ""
        if value.upper() in dict(countries):
            return value.upper()
        code = countries.by_name(value)
        if not code:
            raise ValueError(gettext("“%(value)s” is not a country code or an English country name.") % {"value": value})
        return code

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class LookupWidget(widgets.ForeignKeyWidget):
    """A related record named in a cell: matched on any of ``fields`` (case-insensitive), never guessed."""

    def __init__(self, model, fields, label, **kwargs):
        super().__init__(model, field=fields[0], **kwargs)
        self.fields, self.label = fields, label

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        for field in self.fields:
            matches = list(self.model.objects.filter(**{f"{field}__iexact": value})[:2])
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise ValueError(
                    gettext("More than one %(kind)s is called “%(name)s”; use a unique name.")
                    % {"kind": self.label, "name": value}
                )
        raise ValueError(
            gettext("No %(kind)s called “%(name)s” is on file; add it first.") % {"kind": self.label, "name": value}
        )


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Several related records named in one cell; an unknown name is an error, not silently dropped."""

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in str(value or "").split(self.separator) if name.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": names})
        missing = sorted(set(names) - {getattr(record, self.field) for record in found})
        if missing:
            raise ValueError(gettext("Not on file: %(names)s.") % {"names": ", ".join(missing)})
        return found


class RelationsResource(resources.ModelResource):
    # Natural identity of a row when the file carries no uuid, e.g. ("name", "country").
    match_on: tuple[str, ...] = ()

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def before_import_row(self, row, **kwargs):
        # An empty spreadsheet cell arrives as None; our text columns store "" for "nothing".
        # A cell our export defused against formula injection ('=...) gets its text back.
        for column, value in row.items():
            if value is None:
                row[column] = ""
            else:
                row[column] = restored(value)

    def get_instance(self, instance_loader, row):
        uuid = (row.get("uuid") or "").strip()
        manager = self._meta.model._default_manager
        if uuid:
            try:
                return manager.filter(uuid=uuid).first()
            except ValidationError:
                return None
        lookup = {}
        for name in self.match_on:
            field = self.fields[name]
            try:
                value = field.clean(row)
            except (KeyError, ValueError):
                return None
            lookup[f"{field.attribute}__iexact" if isinstance(value, str) else field.attribute] = value
        return manager.filter(**lookup).first() if lookup else None

    def import_instance(self, instance, row, **kwargs):
        # Many-to-many cells are saved after the row; check them now so a bad one rejects the row.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors.setdefault(field.attribute, []).append(str(error))
        if errors:
            raise ValidationError(errors)

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.import_type == RowResult.IMPORT_TYPE_INVALID:
            # Keep the row in the preview as rejected, with its reasons, and let the rest be imported.
            error = row_result.validation_error
            messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            row_result.rejection = [
                f"{field}: {message}" if field and field != "__all__" else message
                for field, field_messages in messages.items()
                for message in field_messages
            ]
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            row_result.validation_error = None
        return row_result


class RelationsImportExportMixin(ImportExportMixin):
    """The admin side: our preview template (new, updated and rejected rows together)."""

    import_template_name = "admin/relations_import.html"
