"""Multi-step writes on events, shared by the admin, the API and commands."""

from django.db import transaction

from relations.core.services import NestedValidationError, children_replace, record_write
from relations.events.models import Event, Participation


@transaction.atomic
def event_write(
    *, event: Event | None = None, fields: dict, participants: list[dict] | None = None, topics=None, user=None
) -> Event:
    """Create (``event`` None) or change an event; ``participants`` and ``topics``, when given, replace its own.

    Participants are ``{"organization", "contact", "role"}``; a row with the same organization
    and person as an existing one keeps it. Any error rolls the whole write back.
    """
    event = record_write(instance=event or Event(), fields=fields, user=user)
    if topics is not None:
        event.topics.set(topics)
    if participants is not None:
        errors = children_replace(
            model=Participation, parent=event, parent_field="event", items=participants,
            key=("organization", "contact"), user=user,
        )
        if any(errors):
            raise NestedValidationError(items={"participants": errors})
    return event
