"""Multi-step writes on agreements, shared by the admin, the API and commands."""

from django.core.exceptions import ValidationError
from django.db import transaction

from relations.agreements.models import Agreement, Party, Signatory
from relations.core.services import NestedValidationError, children_replace, record_write


@transaction.atomic
def agreement_write(
    *,
    agreement: Agreement | None = None,
    fields: dict,
    parties: list | None = None,
    signatories: list[dict] | None = None,
    areas=None,
    user=None,
) -> Agreement:
    """Create (``agreement`` None) or change an agreement with its parties, signatories and areas.

    ``parties`` (organizations), ``signatories`` (``{"contact", "organization", "title"}``) and
    ``areas`` (topics), when given, replace the agreement's own; None leaves them as they are.
    Every row is validated like in the admin, including the rule that a signatory signs for
    one of the parties as they are once the write is done. Any error rolls everything back.
    """
    agreement = record_write(instance=agreement or Agreement(), fields=fields, user=user)
    if areas is not None:
        agreement.areas.set(areas)
    errors = {}
    if parties is not None:
        errors["parties"] = children_replace(
            model=Party, parent=agreement, parent_field="agreement",
            items=[{"organization": organization} for organization in parties], key=("organization",), user=user,
        )
    party_ids = set(Party.objects.filter(agreement=agreement).values_list("organization_id", flat=True))

    def with_parties(signatory):
        signatory.pending_party_ids = party_ids

    if signatories is not None:
        errors["signatories"] = children_replace(
            model=Signatory, parent=agreement, parent_field="agreement", items=signatories,
            key=("contact", "organization"), user=user, prepare=with_parties,
        )
    elif parties is not None:
        stray = Signatory.objects.filter(agreement=agreement).exclude(organization_id__in=party_ids)
        if stray.exists():
            names = ", ".join(str(signatory) for signatory in stray.select_related("contact", "organization"))
            raise NestedValidationError(
                record=ValidationError({"parties": f"These signatories sign for an organization that would no "
                                                   f"longer be a party: {names}. Change the signatories too."}),
                items=errors,
            )
    if any(any(rows) for rows in errors.values()):
        raise NestedValidationError(items=errors)
    return agreement
