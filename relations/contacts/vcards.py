"""Contacts as vCards (3.0, written with vobject), for address books: one person, or a filtered list.

What a card holds, and why:
- ``N`` (family; given; ; honorific) and ``FN`` (honorific, given and family name) in Latin script:
  what Outlook, Apple Contacts and Google show and sort by.
- The name in the person's own script as ``X-NATIVE-NAME``: vCard 3.0 allows one FN only, and
  every address book keeps an X- property it does not know, so the name survives a round trip.
- ``ORG`` (organization; department) and ``TITLE`` of the current position (the latest started).
- ``EMAIL``, ``TEL`` and ``NOTE`` only for users allowed to see personal contact details.
- ``UID`` (``contact-<uuid>@<host>``) so importing a newer file updates the card, ``REV``, and
  ``URL``, the person's page in Relations.
"""

from collections.abc import Callable, Iterable

import vobject
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext

from relations.contacts.models import Contact
from relations.core import access
from relations.core.exports import stream

CHUNK_SIZE = 2000


def current_position(contact: Contact):
    """The position a card shows: of those prefetched as current, the one started last."""
    positions = getattr(contact, "current_positions", [])
    if not positions:
        return None
    return max(positions, key=lambda position: (position.start_date is not None, position.start_date, position.pk))


def vcard(contact: Contact, *, with_details: bool, host: str, absolute_url: Callable[[str], str]) -> str:
    card = vobject.vCard()
    card.add("uid").value = f"contact-{contact.uuid}@{host}"
    card.add("n").value = vobject.vcard.Name(
        family=contact.family_name, given=contact.given_name, prefix=contact.honorific
    )
    card.add("fn").value = contact.display_name
    if contact.native_name:
        card.add("x-native-name").value = contact.native_name
    position = current_position(contact)
    if position is not None:
        card.add("org").value = [part for part in (position.organization.name, position.department) if part]
        card.add("title").value = position.title
    if with_details:
        if contact.email:
            email = card.add("email")
            email.value = contact.email
            email.type_param = "INTERNET"
        if contact.phone:
            card.add("tel").value = contact.phone
        if contact.notes:
            card.add("note").value = contact.notes
    card.add("url").value = absolute_url(contact.get_absolute_url())
    card.add("rev").value = contact.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return card.serialize()


def _cards(request, contacts: Iterable[Contact]) -> Iterable[str]:
    with_details = access.can_view_contact_details(request.user)
    host = request.get_host().rsplit(":", 1)[0]
    for contact in contacts:
        yield vcard(contact, with_details=with_details, host=host, absolute_url=request.build_absolute_uri)
        # The positions point back at their person: free the pair now, not when the cycle collector runs.
        contact.__dict__.pop("current_positions", None)


def vcard_response(request, contact: Contact) -> HttpResponse:
    response = HttpResponse("".join(_cards(request, [contact])), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(contact.full_name) or "contact"}.vcf"'
    return response


def vcard_list_response(request, filterset) -> HttpResponse:
    """Every contact the list page's filters select (all pages), streamed ``CHUNK_SIZE`` rows at a time."""
    if filterset.is_bound and not filterset.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())
        message = gettext("Bad filter values, nothing exported. %(problems)s") % {"problems": problems}
        return HttpResponse(f"{message}\n", status=400, content_type="text/plain")
    contacts = stream(filterset.qs, CHUNK_SIZE)
    response = StreamingHttpResponse(_cards(request, contacts), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contacts.vcf"'
    return response
