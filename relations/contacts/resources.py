"""Spreadsheet import/export of organizations and people (with their current position)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from relations.contacts.models import Contact, Organization, Position
from relations.core.import_export import CountryWidget, LookupWidget, RelationsResource


class OrganizationResource(RelationsResource):
    match_on = ("name", "country")
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    parent = fields.Field(
        attribute="parent", column_name="parent",
        widget=LookupWidget(Organization, ("acronym", "name"), _("organization")),
    )

    class Meta(RelationsResource.Meta):
        model = Organization
        fields = (
            "uuid", "name", "acronym", "native_name", "alternative_names", "kind", "country", "city", "region",
            "website", "email", "phone", "parent", "notes",
        )
        export_order = fields


class ContactResource(RelationsResource):
    """A person, and optionally the position they hold now (organization + title [+ start date])."""

    match_on = ("given_name", "family_name")
    organization = fields.Field(
        column_name="organization", widget=LookupWidget(Organization, ("acronym", "name"), _("organization")),
    )
    position_title = fields.Field(column_name="position_title", widget=widgets.CharWidget())
    position_start = fields.Field(column_name="position_start", widget=widgets.DateWidget("%Y-%m-%d"))

    class Meta(RelationsResource.Meta):
        model = Contact
        fields = (
            "uuid", "honorific", "given_name", "family_name", "native_name", "alternative_names", "email", "phone",
            "organization", "position_title", "position_start",
        )
        export_order = fields
        # The position columns are not fields of Contact: a change there alone is still a change.
        skip_unchanged = False

    # Export: the person's current position (the first, if several).
    def _current(self, contact):
        return next((p for p in contact.positions.all() if p.is_current), None)

    def dehydrate_organization(self, contact):
        position = self._current(contact)
        return (position.organization.acronym or position.organization.name) if position else ""

    def dehydrate_position_title(self, contact):
        position = self._current(contact)
        return position.title if position else ""

    def dehydrate_position_start(self, contact):
        position = self._current(contact)
        return position.start_date.isoformat() if position and position.start_date else ""

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("positions__organization")

    # Import: the position is checked with the person, and saved after them.
    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        values = {}
        for name in ("organization", "position_title", "position_start"):
            if self.fields[name].column_name not in row:
                values[name] = None
                continue
            try:
                values[name] = self.fields[name].clean(row)
            except ValueError as error:
                errors.setdefault(name, []).append(str(error))
        instance._imported_position = None
        if not errors and (values["organization"] or values["position_title"]):
            instance._imported_position = Position(
                organization=values["organization"], title=values["position_title"] or "",
                start_date=values["position_start"],
            )
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        position = getattr(instance, "_imported_position", None)
        if position is not None:
            if position.organization_id is None:
                errors.setdefault("organization", []).append(gettext("Give the organization of the position."))
            try:
                position.full_clean(exclude=["contact", "organization"])
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    name = {"title": "position_title", "start_date": "position_start"}.get(field, field)
                    errors.setdefault(name, []).extend(messages)
        super().validate_instance(instance, errors, validate_unique)

    def after_save_instance(self, instance, row, **kwargs):
        position = getattr(instance, "_imported_position", None)
        if position is None:
            return
        exists = instance.positions.filter(
            organization=position.organization, title=position.title, end_date__isnull=True
        ).exists()
        if not exists:
            position.contact = instance
            position.save()
