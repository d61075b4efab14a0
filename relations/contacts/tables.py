import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from relations.contacts.models import Contact, Organization
from relations.core.access import can_view_contact_details
from relations.core.exports import Column
from relations.core.tables import RecordTable


class OrganizationTable(RecordTable):
    name = tables.Column(linkify=True, orderable=True)
    native_name = tables.Column(verbose_name=_("Own script"), attrs={"td": {"dir": "auto"}})
    acronym = tables.Column(orderable=True)
    kind = tables.Column(orderable=True)
    # Country.name directly: get_country_display() walks all 250 choices on every row.
    country = tables.Column(accessor="country__name", order_by="country", orderable=True)
    city = tables.Column()
    region = tables.Column(verbose_name=_("IFRC region"), orderable=True)

    class Meta(RecordTable.Meta):
        model = Organization
        fields = ("name", "native_name", "acronym", "kind", "country", "city", "region")


def positions_text(contact) -> str:
    return "; ".join(f"{position.title}, {position.organization}" for position in contact.current_positions)


class ContactTable(RecordTable):
    # Named after the FilterSet's ordering choice, so the header sorts by family then given name.
    family_name = tables.Column(
        verbose_name=_("Name"), linkify=True, orderable=True, order_by=("family_name", "given_name"), accessor="display_name"
    )
    native_name = tables.Column(verbose_name=_("Own script"), attrs={"td": {"dir": "auto"}})
    current_positions = tables.Column(verbose_name=_("Current positions"), accessor="pk", empty_values=())
    email = tables.EmailColumn()
    phone = tables.Column()

    class Meta(RecordTable.Meta):
        model = Contact
        fields = ("family_name", "native_name", "current_positions", "email", "phone")

    def __init__(self, *args, request=None, **kwargs):
        if request is not None and not can_view_contact_details(request.user):
            kwargs["exclude"] = ("email", "phone")
        super().__init__(*args, **kwargs)

    def render_current_positions(self, record):
        return positions_text(record) or "—"


def organization_csv_columns(user):
    return [
        Column("Name", lambda o: o.name),
        Column("Name in its own script", lambda o: o.native_name),
        Column("Acronym", lambda o: o.acronym),
        Column("Kind", lambda o: o.get_kind_display()),
        Column("Country", lambda o: o.country.name),
        Column("City", lambda o: o.city),
        Column("IFRC region", lambda o: o.get_region_display()),
        Column("Website", lambda o: o.website),
        Column("Email", lambda o: o.email),
        Column("Phone", lambda o: o.phone),
    ]


def contact_csv_columns(user):
    columns = [
        Column("Honorific", lambda c: c.honorific),
        Column("Given name", lambda c: c.given_name),
        Column("Family name", lambda c: c.family_name),
        Column("Name in own script", lambda c: c.native_name),
        Column("Current positions", positions_text),
    ]
    if can_view_contact_details(user):
        columns += [
            Column("Email", lambda c: c.email),
            Column("Phone", lambda c: c.phone),
            Column("Notes", lambda c: c.notes),
        ]
    return columns
