"""Querysets of the dashboard."""

import datetime
import hmac
from heapq import nlargest

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relations.agreements.models import Agreement
from relations.contacts.models import Contact, Organization
from relations.core.models import FeedToken, Source, Topic
from relations.core.services import feed_key_digest
from relations.events.models import Event

EXPIRY_HORIZON_DAYS = 90
DASHBOARD_ROWS = 8


def upcoming_events(today: datetime.date):
    return Event.objects.filter(start_date__gte=today).select_related("host").order_by("start_date", "title")


def agreements_expiring(today: datetime.date, days: int = EXPIRY_HORIZON_DAYS):
    return Agreement.objects.filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=days)).order_by(
        "expires_on", "title"
    )


def dashboard(user) -> dict:
    """What the start page shows ``user``: only the kinds of record they may view."""
    today = timezone.localdate()
    visible = [
        (model, label)
        for model, label in (
            (Organization, _("Partners")),
            (Contact, _("Contacts")),
            (Event, _("Events")),
            (Agreement, _("Agreements")),
        )
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    ]
    models = {model for model, _label in visible}
    recent = nlargest(
        DASHBOARD_ROWS,
        (record for model in models for record in model.objects.order_by("-updated_at")[:DASHBOARD_ROWS]),
        key=lambda record: record.updated_at,
    )
    return {
        "counts": [
            {"label": label, "count": model.objects.count(), "url": reverse(f"{model._meta.app_label}:{model._meta.model_name}_list")}
            for model, label in visible
        ],
        "upcoming_events": list(upcoming_events(today)[:DASHBOARD_ROWS]) if Event in models else None,
        "expiring_agreements": list(agreements_expiring(today)[:DASHBOARD_ROWS]) if Agreement in models else None,
        "expiry_horizon": EXPIRY_HORIZON_DAYS,
        "recent": [{"record": record, "kind": record._meta.verbose_name} for record in recent],
    }


def feed_token_owner(key: str):
    """The user whose calendar feed key is ``key``, or None.

    Looked up by the key's digest, then compared in constant time: neither step tells a guesser
    how close a wrong key came.
    """
    if not key or len(key) > 64:
        return None
    token = FeedToken.objects.select_related("user").filter(digest=feed_key_digest(key)).first()
    if token is None or not hmac.compare_digest(token.key.encode(), key.encode()):
        return None
    return token.user


# The API's lists: only the columns and prefetches their serializers use.
def topic_api_list():
    return Topic.objects.all()


def source_api_list():
    return Source.objects.all()
