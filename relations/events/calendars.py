"""Events as calendars: the iCalendar feeds that calendar clients subscribe to, and the month grid of the web page.

Feeds (RFC 5545, written with the icalendar library): one VEVENT per event that has a date,
as all-day dates (DTEND is exclusive: the day after the last day), with a UID that stays the
same for the event (``event-<uuid>@<host>``) so a client updates it rather than adding a copy.
"""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import get_format
from django.utils.translation import gettext
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from relations.contacts.models import Organization
from relations.core.services import feed_token_get_or_create
from relations.events import selectors
from relations.events.models import Event

PRODID = "-//Relations//Events//EN"
# How often a subscribed client should fetch the feed again (Outlook, Apple; Google decides itself).
REFRESH_INTERVAL = datetime.timedelta(hours=6)


def event_days(event: Event) -> tuple[datetime.date, datetime.date] | None:
    """First and last day of an event; an event with only one date lasts that day; None without dates."""
    first = event.start_date or event.end_date
    last = event.end_date or event.start_date
    if first is None:
        return None
    return first, max(first, last)


def event_location(event: Event) -> str:
    return ", ".join(part for part in (event.venue, event.city, event.country.name if event.country else "") if part)


def event_description(event: Event) -> str:
    lines = []
    if event.theme:
        lines.append(gettext("Theme: %(theme)s") % {"theme": event.theme})
    if event.parent_id:
        lines.append(gettext("Part of: %(event)s") % {"event": event.parent})
    return "\n".join(lines)


def ical_feed(events: Iterable[Event], *, name: str, host: str, absolute_url) -> bytes:
    """An iCalendar file of ``events`` (those without dates are skipped).

    ``host`` makes the UIDs (without a port); ``absolute_url(path)`` turns an event's page into a full URL.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", gettext("Events recorded in Relations"))
    cal.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH_INTERVAL)
    domain = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    for event in events:
        days = event_days(event)
        if days is None:
            continue
        first, last = days
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.uuid}@{domain}")
        entry.add("dtstamp", event.updated_at)
        entry.add("last-modified", event.updated_at)
        entry.add("dtstart", first)
        entry.add("dtend", last + datetime.timedelta(days=1))
        entry.add("summary", event.title)
        location = event_location(event)
        if location:
            entry.add("location", location)
        description = event_description(event)
        if description:
            entry.add("description", description)
        entry.add("categories", [event.get_kind_display()])
        entry.add("url", absolute_url(event.get_absolute_url()))
        entry.add("transp", "TRANSPARENT")  # an event on record does not make its reader busy
        cal.add_component(entry)
    return cal.to_ical()


def ical_response(request, *, name: str, events, filename: str) -> HttpResponse:
    body = ical_feed(events, name=name, host=request.get_host(), absolute_url=request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # The address carries a secret: keep it out of shared caches, search engines and referrers.
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def feed_address(request, url_name: str, key: str, **kwargs) -> dict:
    """A feed's address as https (to paste) and as webcal: (a link that opens the calendar app)."""
    url = request.build_absolute_uri(f"{reverse(url_name, kwargs=kwargs)}?{urlencode({'token': key})}")
    return {"url": url, "webcal": "webcal:" + url.split(":", 1)[1]}


def subscriptions(request) -> dict:
    """The calendar page of a user: the addresses of their feeds (and of the partner named by ``?organization=``)."""
    user = request.user
    if not user.has_perm("events.view_event"):
        return {"can_subscribe": False}
    key = feed_token_get_or_create(user=user).key
    feeds = [{"label": gettext("All events (iCalendar)"), **feed_address(request, "events:event_feed", key)}]
    organization_id = request.GET.get("organization", "")
    if organization_id.isdigit() and len(organization_id) < 19 and user.has_perm("contacts.view_organization"):
        organization = Organization.objects.only("id", "name").filter(pk=organization_id).first()
        if organization is not None:
            feeds.append({
                "label": gettext("Events of %(name)s (iCalendar)") % {"name": organization.name},
                **feed_address(request, "contacts:organization_feed", key, pk=organization.pk),
            })
    return {"can_subscribe": True, "feeds": feeds}


# The month page ------------------------------------------------------------------------------

MIN_MONTH = datetime.date(1900, 1, 1)
MAX_MONTH = datetime.date(2199, 12, 1)


def first_weekday() -> int:
    """The first day of the week of the active language, as Python's calendar counts (Monday = 0).

    Django's FIRST_DAY_OF_WEEK counts from Sunday = 0: English starts on Sunday, Russian on
    Monday, Arabic on Saturday (relations/formats/ar).
    """
    return (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)


@dataclass
class MonthGrid:
    month: datetime.date  # the first of the month
    weekdays: list[datetime.date]  # a date of each weekday, in the order of the columns
    weeks: list[list[Day]]
    previous: datetime.date | None
    next: datetime.date | None

    @property
    def first_day(self) -> datetime.date:
        return self.weeks[0][0].date

    @property
    def last_day(self) -> datetime.date:
        return self.weeks[-1][-1].date

    @property
    def days_with_events(self) -> list[Day]:
        return [day for week in self.weeks for day in week if day.events]


def month_grid(month: datetime.date, today: datetime.date | None = None) -> MonthGrid:
    """Whole weeks around ``month``, starting on the active language's first day of the week."""
    today = today or timezone.localdate()
    weeks = [
        [Day(date=day, in_month=day.month == month.month, is_today=day == today) for day in week]
        for week in calendar.Calendar(first_weekday()).monthdatescalendar(month.year, month.month)
    ]
    return MonthGrid(
        month=month,
        weekdays=[day.date for day in weeks[0]],
        weeks=weeks,
        previous=add_months(month, -1) if month > MIN_MONTH else None,
        next=add_months(month, 1) if month < MAX_MONTH else None,
    )


def place_events(grid: MonthGrid, events: Iterable[Event]) -> MonthGrid:
    """Put each event on every day of the grid it covers (events are in start order)."""
    days = {day.date: day for week in grid.weeks for day in week}
    for event in events:
        span = event_days(event)
        if span is None:
            continue
        first, last = max(span[0], grid.first_day), min(span[1], grid.last_day)
        while first <= last:
            days[first].events.append(event)
            first += datetime.timedelta(days=1)
    return grid


def month_page(query) -> dict:
    """What the month page shows for its query string: the form, the grid with its events, the latest month."""
    from relations.events.forms import MonthForm  # the form imports this module's bounds

    form = MonthForm(query if "month" in query else None)
    today = timezone.localdate()
    month = form.cleaned_data["month"] if form.is_bound and form.is_valid() else None
    month = month or today.replace(day=1)
    if not form.is_bound:
        form = MonthForm(initial={"month": f"{month:%Y-%m}"})
    grid = month_grid(month, today)
    place_events(grid, selectors.events_between(grid.first_day, grid.last_day))
    latest = selectors.latest_event_day()
    latest_month = latest.replace(day=1) if latest and MIN_MONTH <= latest.replace(day=1) <= MAX_MONTH else None
    return {"form": form, "grid": grid, "latest_month": latest_month if latest_month != month else None}

