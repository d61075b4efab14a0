import django_tables2 as tables

from relations.agreements.models import Agreement
from relations.core.exports import Column
from relations.core.tables import RecordTable


def parties_text(agreement) -> str:
    return "; ".join(str(party.organization) for party in agreement.parties.all())


class AgreementTable(RecordTable):
    title = tables.Column(linkify=True, orderable=True)
    kind = tables.Column()
    status = tables.Column(orderable=True)
    parties = tables.Column(accessor="pk", empty_values=())
    # DATE_FORMAT of the user's language (relations/formats/).
    signed_on = tables.DateColumn(format="DATE_FORMAT", orderable=True)
    expires_on = tables.DateColumn(format="DATE_FORMAT", orderable=True)

    class Meta(RecordTable.Meta):
        model = Agreement
        fields = ("title", "kind", "status", "parties", "signed_on", "expires_on")

    def render_parties(self, record):
        return parties_text(record) or "—"


def agreement_csv_columns(user):
    return [
        Column("Title", lambda a: a.title),
        Column("Kind", lambda a: a.get_kind_display()),
        Column("Status", lambda a: a.get_status_display()),
        Column("Parties", parties_text),
        Column("Signed", lambda a: a.signed_on),
        Column("In effect from", lambda a: a.effective_on),
        Column("Expires", lambda a: a.expires_on),
    ]
