"""Multi-step writes on organizations and people, shared by the admin, the API and commands."""

from dataclasses import dataclass, field

from django.db import transaction

from relations.contacts.models import Contact, Organization, Position, contact_search_key, organization_search_key
from relations.core.services import NestedValidationError, children_replace, record_write


def search_keys_rebuild(*, organization_model, contact_model, batch_size: int = 1000) -> dict[str, int]:
    """Recompute the stored search key of every organization and person; return how many changed.

    Rows written in bulk (fixtures, ``bulk_create``, imports from an older version of the rules)
    skip ``save()``; this brings their keys up to date. The models are passed in so a data
    migration can run it with its historical models.
    """
    changed = {}
    for label, model, build in (
        ("organizations", organization_model, organization_search_key),
        ("contacts", contact_model, contact_search_key),
    ):
        stale = []
        for record in model.objects.all().iterator(chunk_size=batch_size):
            key = build(record)
            if record.search_key != key:
                record.search_key = key
                stale.append(record)
        model.objects.bulk_update(stale, ["search_key"], batch_size=batch_size)
        changed[label] = len(stale)
    return changed


# --- Merging duplicates -------------------------------------------------------------------------
#
# A merge moves everything that points at the record being removed onto the record being kept,
# one row at a time through save() so django-simple-history records each move with the user and
# a reason. A row that would repeat a fact the kept record already has (the same person at the same
# event, the same party to the same agreement) is folded into its twin instead: its sources are
# added to the twin and the row is deleted, also recorded in history. Then the removed record's
# names become alternative names of the kept one (so searches for the old spelling still land),
# its blank-on-the-kept-side details are copied over, and it is deleted. Anything left pointing
# at it (a relation this code does not know) makes the delete fail with ProtectedError and the
# whole merge rolls back: a merge never loses a row.


@dataclass
class MergeReport:
    kept: object
    moved: dict[str, int] = field(default_factory=dict)
    folded: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{count} {name} moved" for name, count in self.moved.items() if count]
        parts += [f"{count} duplicate {name} folded" for name, count in self.folded.items() if count]
        return ", ".join(parts) or "nothing to move"


def _record(instance, *, user, reason):
    instance._history_user = user
    instance._change_reason = reason


def _absorb_sources(twin, row, *, user, reason):
    if hasattr(row, "sources"):
        twin.sources.add(*row.sources.all())
    _record(row, user=user, reason=reason)
    row.delete()


def _reassign(report, label, rows, attribute, keep, *, twin_of, user, reason):
    moved = folded = 0
    for row in rows:
        twin = twin_of(row) if twin_of else None
        if twin is not None:
            _absorb_sources(twin, row, user=user, reason=reason)
            folded += 1
            continue
        setattr(row, attribute, keep)
        _record(row, user=user, reason=reason)
        row.save()
        moved += 1
    report.moved[label] = report.moved.get(label, 0) + moved
    report.folded[label] = report.folded.get(label, 0) + folded


def _add_alternative_names(keep, *names):
    known = {line.strip().casefold() for line in keep.alternative_names.splitlines()}
    known |= {keep.native_name.strip().casefold()}
    known |= {name.casefold() for name in (getattr(keep, "name", ""), getattr(keep, "full_name", "")) if name}
    lines = [line for line in keep.alternative_names.splitlines() if line.strip()]
    for name in names:
        for line in (name or "").splitlines():
            if line.strip() and line.strip().casefold() not in known:
                lines.append(line.strip())
                known.add(line.strip().casefold())
    keep.alternative_names = "\n".join(lines)


def _fill_blanks(keep, remove, fields):
    for name in fields:
        if not getattr(keep, name) and getattr(remove, name):
            setattr(keep, name, getattr(remove, name))


def _join_notes(keep, remove, label):
    if remove.notes and remove.notes not in keep.notes:
        keep.notes = f"{keep.notes}\n\n{label}:\n{remove.notes}".strip()


@transaction.atomic
def contact_merge(*, keep: Contact, remove: Contact, user=None) -> MergeReport:
    """Fold ``remove`` into ``keep``: positions, participations and signatures move; ``remove`` goes."""
    from relations.agreements.models import Signatory
    from relations.events.models import Participation

    if keep.pk == remove.pk:
        raise ValueError("A person cannot be merged into themselves.")
    keep, remove = (Contact.objects.select_for_update().get(pk=pk) for pk in (keep.pk, remove.pk))
    reason = f"Merged {remove.display_name} (#{remove.pk}) into {keep.display_name} (#{keep.pk})"
    report = MergeReport(kept=keep)
    _reassign(
        report, "positions", Position.objects.filter(contact=remove), "contact", keep, user=user, reason=reason,
        twin_of=lambda p: Position.objects.filter(
            contact=keep, organization_id=p.organization_id, title=p.title, start_date=p.start_date
        ).first(),
    )
    _reassign(
        report, "participations", Participation.objects.filter(contact=remove), "contact", keep,
        user=user, reason=reason,
        twin_of=lambda p: Participation.objects.filter(contact=keep, event_id=p.event_id).first(),
    )
    _reassign(
        report, "signatures", Signatory.objects.filter(contact=remove), "contact", keep, user=user, reason=reason,
        twin_of=lambda s: Signatory.objects.filter(contact=keep, agreement_id=s.agreement_id).first(),
    )
    keep.sources.add(*remove.sources.all())
    _add_alternative_names(keep, remove.full_name, remove.native_name, remove.alternative_names)
    _fill_blanks(keep, remove, ["honorific", "native_name", "email", "phone"])
    _join_notes(keep, remove, f"From the merged record of {remove.display_name}")
    _record(remove, user=user, reason=reason)
    remove.delete()
    keep.full_clean()
    _record(keep, user=user, reason=reason)
    keep.save()
    return report


@transaction.atomic
def organization_merge(*, keep: Organization, remove: Organization, user=None) -> MergeReport:
    """Fold ``remove`` into ``keep``: people, attendance, agreements, child bodies and hosted events move."""
    from relations.agreements.models import Party, Signatory
    from relations.events.models import Event, Participation

    if keep.pk == remove.pk:
        raise ValueError("An organization cannot be merged into itself.")
    keep, remove = (Organization.objects.select_for_update().get(pk=pk) for pk in (keep.pk, remove.pk))
    reason = f"Merged {remove} (#{remove.pk}) into {keep} (#{keep.pk})"
    report = MergeReport(kept=keep)
    _reassign(
        report, "positions", Position.objects.filter(organization=remove), "organization", keep,
        user=user, reason=reason,
        twin_of=lambda p: Position.objects.filter(
            organization=keep, contact_id=p.contact_id, title=p.title, start_date=p.start_date
        ).first(),
    )
    _reassign(
        report, "participations", Participation.objects.filter(organization=remove), "organization", keep,
        user=user, reason=reason,
        twin_of=lambda p: None if p.contact_id else Participation.objects.filter(
            organization=keep, event_id=p.event_id, contact__isnull=True
        ).first(),
    )
    _reassign(
        report, "agreement parties", Party.objects.filter(organization=remove), "organization", keep,
        user=user, reason=reason,
        twin_of=lambda p: Party.objects.filter(organization=keep, agreement_id=p.agreement_id).first(),
    )
    _reassign(
        report, "signatures on behalf", Signatory.objects.filter(organization=remove), "organization", keep,
        user=user, reason=reason, twin_of=None,
    )
    _reassign(
        report, "hosted events", Event.objects.filter(host=remove), "host", keep, user=user, reason=reason,
        twin_of=None,
    )
    if keep.parent_id == remove.pk:
        keep.parent_id = remove.parent_id if remove.parent_id != keep.pk else None
    _reassign(
        report, "member bodies", Organization.objects.filter(parent=remove).exclude(pk=keep.pk), "parent", keep,
        user=user, reason=reason, twin_of=None,
    )
    keep.sources.add(*remove.sources.all())
    _add_alternative_names(keep, remove.name, remove.native_name, remove.alternative_names)
    _fill_blanks(keep, remove, ["acronym", "native_name", "country", "city", "region", "website", "email", "phone"])
    if keep.parent_id is None and remove.parent_id not in (None, keep.pk):
        keep.parent_id = remove.parent_id
    _join_notes(keep, remove, f"From the merged record of {remove}")
    was_own = remove.is_own_organization
    _record(remove, user=user, reason=reason)
    remove.delete()
    keep.is_own_organization = keep.is_own_organization or was_own
    keep.full_clean()
    _record(keep, user=user, reason=reason)
    keep.save()
    return report


# --- Writing a person with their positions (the API's nested write) ----------------------------


@transaction.atomic
def contact_write(*, contact: Contact | None = None, fields: dict, positions: list[dict] | None = None, user=None) -> Contact:
    """Create (``contact`` None) or change a person; ``positions``, when given, become exactly their positions.

    Every row is validated like in the admin; any error rolls the whole write back.
    """
    contact = record_write(instance=contact or Contact(), fields=fields, user=user)
    if positions is not None:
        errors = children_replace(
            model=Position, parent=contact, parent_field="contact", items=positions,
            key=("organization", "title", "start_date"), user=user,
        )
        if any(errors):
            raise NestedValidationError(items={"positions": errors})
    return contact
