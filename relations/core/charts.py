"""Timelines and bar charts drawn on the server as inline SVG.

This module works out each picture: every position, size, link and (translated, localized) text.
The markup is in ``templates/core/_timeline.html``, ``_bar_chart.html`` and ``_chart_svg.html``;
every name is escaped (by the templates, or by ``format_html`` for the marks). No JavaScript,
nothing loaded from elsewhere.

A timeline is ``WIDTH`` units wide, a bar chart ``BAR_CHART_WIDTH``; the SVG has a viewBox and
width 100%, so it shrinks to a phone's width, and is as tall as its content needs. On right-to-left
pages (Arabic) the pictures are mirrored like the rest of the page: a timeline's time runs from
right to left, bars grow leftwards from their labels, and the SVG's ``direction`` makes its texts
start at the right.

pygal (3.1) was tried first: by default its charts load their tooltip script from a CDN, put the
values in ``<desc>`` elements that browsers show only with that script, and weigh about 15 KB for
two bars; links per mark, right-to-left and localized numbers would all need working around it.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext, pgettext

from relations.contacts.models import Region
from relations.core import selectors
from relations.core.selectors import Timeline

WIDTH = 480
BAR_CHART_WIDTH = 400
PAD = 24
FONT = 15
# Single marks: their size and the distance between two marks on the same spot (stacked).
MARK = 6
STEP = 14
# The most marks stacked on one spot; a more crowded timeline is drawn by month.
MAX_STACK = 5
# The tallest month bar of a timeline.
MONTH_BAR = 48
# Bar charts: a row's label, its bars, the room for the number after a bar.
LABEL = 20
BAR = 14
GAP = 4
ROW_GAP = 12
NUMBER = 72

EVENT_COLOR = "#b3261e"
AGREEMENT_COLOR = "#1f5f99"


def _number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _month(month: datetime.date) -> str:
    return formats.date_format(month, pgettext("month and year of a timeline bar", "F Y"))


class _Links:
    """The addresses of records and of lists filtered to a month, reversing each URL pattern once."""

    def __init__(self, organization_id: int | None):
        self.organization_id = organization_id
        self.lists = {"event": reverse("events:event_list"), "agreement": reverse("agreements:agreement_list")}
        # The detail address of record 0, to put another id in (the patterns take an int).
        self.details = {
            "event": reverse("events:event_detail", args=[0]).rsplit("/0/", 1),
            "agreement": reverse("agreements:agreement_detail", args=[0]).rsplit("/0/", 1),
        }

    def record(self, kind: str, pk: int) -> str:
        start, end = self.details[kind]
        return f"{start}/{int(pk)}/{end}"

    def month(self, kind: str, month: datetime.date) -> str:
        """The events (or agreements) list filtered to one month (and one partner)."""
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        if kind == "event":
            query = {"date_from": month.isoformat(), "date_to": last.isoformat()}
            if self.organization_id is not None:
                query["participant"] = self.organization_id
        else:
            query = {"signed_from": month.isoformat(), "signed_to": last.isoformat()}
            if self.organization_id is not None:
                query["party"] = self.organization_id
        return f"{self.lists[kind]}?{urlencode(query)}"


@dataclass
class Mark:
    """One link on a picture: its shape (an SVG path), where it goes and its accessible title."""

    d: str
    url: str
    title: str
    kind: str
    color: str


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass
class Picture:
    height: float
    direction: str
    marks: list[Mark] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    # Straight lines: (x1, y1, x2, y2).
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)
    width: int = WIDTH
    # A timeline drawn as one bar per month (too many records for one mark each).
    by_month: bool = False

    @property
    def marks_svg(self) -> SafeString:
        """The marks as SVG, a group per colour: built here rather than in a template loop, which
        took as long as the rest of the dashboard for a few hundred marks. Every text is escaped."""
        groups = []
        for color in dict.fromkeys(mark.color for mark in self.marks):
            marks = [mark for mark in self.marks if mark.color == color]
            linked = format_html_join(
                "", '<a href="{}"><title>{}</title><path d="{}"/></a>', ((m.url, m.title, m.d) for m in marks if m.url)
            )
            plain = format_html_join("", '<path d="{}"><title>{}</title></path>', ((m.d, m.title) for m in marks if not m.url))
            groups.append(format_html('<g fill="{}">{}{}</g>', color, linked, plain))
        return SafeString("\n".join(groups))


class _Axis:
    """Where a day falls on a timeline from 1 January of ``first_year`` to 31 December of ``last_year``."""

    def __init__(self, first_year: int, last_year: int, rtl: bool):
        self.start = datetime.date(first_year, 1, 1)
        # Counted up to 31 December: 1 January after it does not exist for the year 9999.
        self.days = (datetime.date(last_year, 12, 31) - self.start).days + 1
        self.rtl = rtl

    def x(self, day: datetime.date | None) -> float:
        """Where ``day`` starts; None: where the last day ends."""
        days = self.days if day is None else (day - self.start).days
        position = PAD + days / self.days * (WIDTH - 2 * PAD)
        return round(WIDTH - position if self.rtl else position, 1)


def _circle(x: float, y: float) -> str:
    r = MARK
    return f"M{x - r},{y}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0z"


def _diamond(x: float, y: float) -> str:
    r = MARK + 1
    return f"M{x},{y - r}l{r},{r}l{-r},{r}l{-r},{-r}z"


def _rect(x: float, y: float, width: float, height: float) -> str:
    return f"M{round(x, 1)},{round(y, 1)}h{round(width, 1)}v{round(height, 1)}h{round(-width, 1)}z"


def _single_title(kind: str, title: str, day: datetime.date) -> str:
    if kind == "event":
        return gettext("Event: %(title)s, %(date)s") % {"title": title, "date": _day(day)}
    return gettext("Agreement signed %(date)s: %(title)s") % {"title": title, "date": _day(day)}


def _month_title(kind: str, count: int, month: str) -> str:
    if kind == "event":
        text = ngettext("%(month)s: %(count)s event", "%(month)s: %(count)s events", count)
    else:
        text = ngettext("%(month)s: %(count)s agreement signed", "%(month)s: %(count)s agreements signed", count)
    return text % {"count": _number(count), "month": month}


def _stacks(axis: _Axis, rows: list[dict]) -> list[tuple[float, int, dict]]:
    """Each record's place: its x and how many marks lie under it on the same spot."""
    taken = defaultdict(int)
    placed = []
    for row in rows:
        x = axis.x(row["day"])
        spot = round(x / STEP)
        placed.append((x, taken[spot], row))
        taken[spot] += 1
    return placed


def timeline(data: Timeline, *, rtl: bool | None = None) -> Picture | None:
    """The picture of ``data``: events above the time axis (circles, or bars by month), agreements
    below it (diamonds, or bars by month), a labelled column per year. None when there is nothing to draw."""
    if data.is_empty:
        return None
    rtl = translation.get_language_bidi() if rtl is None else rtl
    axis = _Axis(data.first_year, data.last_year, rtl)
    links = _Links(data.organization_id)
    month_names = {}
    kinds = (("event", EVENT_COLOR, _circle, -1), ("agreement", AGREEMENT_COLOR, _diamond, 1))
    placed = None
    if data.events is not None and data.agreements is not None:
        placed = {"event": _stacks(axis, data.events), "agreement": _stacks(axis, data.agreements)}
        if max((level for rows in placed.values() for _x, level, _row in rows), default=0) >= MAX_STACK:
            placed = None  # Too crowded on some day: by month instead.
    if placed is not None:
        above = max((level + 1 for _x, level, _row in placed["event"]), default=1) * STEP + MARK
        below = max((level + 1 for _x, level, _row in placed["agreement"]), default=1) * STEP + MARK
    else:
        above = below = MONTH_BAR + 4
    axis_y = FONT + above
    labels_y = axis_y + below + FONT + 4
    picture = Picture(height=labels_y + 8, direction="rtl" if rtl else "ltr", by_month=placed is None)
    # A line along the time axis, a line at the start of each year and the year's number in its middle.
    picture.lines.append((PAD, axis_y, WIDTH - PAD, axis_y))
    for year in range(data.first_year, data.last_year + 1):
        x = axis.x(datetime.date(year, 1, 1))
        picture.lines.append((x, FONT, x, labels_y - FONT))
        picture.texts.append(Text(axis.x(datetime.date(year, 7, 2)), labels_y, str(year), "middle"))
    x = axis.x(None)
    picture.lines.append((x, FONT, x, labels_y - FONT))
    for kind, color, shape, side in kinds:
        if placed is not None:
            for x, level, row in placed[kind]:
                y = axis_y + side * (STEP / 2 + MARK / 2 + level * STEP)
                picture.marks.append(
                    Mark(shape(x, y), links.record(kind, row["pk"]), _single_title(kind, row["title"], row["day"]), kind, color)
                )
            continue
        months = data.event_months if kind == "event" else data.agreement_months
        tallest = max((row["count"] for row in data.event_months + data.agreement_months), default=1)
        width = (WIDTH - 2 * PAD) / ((data.last_year - data.first_year + 1) * 12)
        for row in months:
            month = row["month"]
            if month not in month_names:
                month_names[month] = _month(month)
            height = max(2.0, row["count"] / tallest * MONTH_BAR)
            x = axis.x(month) - (width if rtl else 0) + width * 0.1
            y = axis_y - height if side < 0 else axis_y + 1
            if row["count"] == 1:
                url = links.record(kind, row["record_id"])
                title = gettext("%(title)s, %(month)s") % {"title": row["record_title"], "month": month_names[month]}
            else:
                url = links.month(kind, month)
                title = _month_title(kind, row["count"], month_names[month])
            picture.marks.append(Mark(_rect(x, y, width * 0.8, height), url, title, kind, color))
    return picture


def timeline_summary(data: Timeline, by_month: bool, *, with_events: bool = True, with_agreements: bool = True) -> str:
    """A sentence saying what the timeline shows, for everyone and for screen readers."""
    parts = []
    if with_events:
        events = sum(row["count"] for row in data.event_months)
        parts.append(ngettext("%(count)s event", "%(count)s events", events) % {"count": _number(events)})
    if with_agreements:
        agreements = sum(row["count"] for row in data.agreement_months)
        parts.append(
            ngettext("%(count)s signed agreement", "%(count)s signed agreements", agreements) % {"count": _number(agreements)}
        )
    if data.first_year == data.last_year:
        years = str(data.first_year)
    else:
        years = gettext("%(first)s to %(last)s") % {"first": data.first_year, "last": data.last_year}
    if len(parts) == 2:
        text = gettext("%(events)s and %(agreements)s, %(years)s.") % {"events": parts[0], "agreements": parts[1], "years": years}
    else:
        text = gettext("%(records)s, %(years)s.") % {"records": parts[0], "years": years}
    if by_month:
        text += " " + gettext("Each bar is a month; its height is the number of records.")
    if data.earlier:
        text += " " + ngettext(
            "%(count)s earlier record is not shown.", "%(count)s earlier records are not shown.", data.earlier
        ) % {"count": _number(data.earlier)}
    return text


@dataclass
class Series:
    label: str
    color: str
    kind: str


@dataclass
class BarChart:
    """A chart of horizontal bars: one row per category, one bar per series; and its figures as a table."""

    picture: Picture
    series: list[Series]
    # (category label, formatted numbers, one per series)
    table: list[tuple[str, list[str]]]

    @property
    def legend(self) -> list[dict]:
        return [{"label": one.label, "color": one.color, "d": _rect(-6, -6, 12, 12)} for one in self.series]


def bar_chart(rows: list[tuple[str, list[int]]], series: list[Series], *, rtl: bool | None = None) -> BarChart | None:
    """Horizontal bars: each row's label above its bars, each bar's number after it. None when all are zero."""
    if not rows or not series or not any(value for _label, values in rows for value in values):
        return None
    rtl = translation.get_language_bidi() if rtl is None else rtl
    tallest = max(value for _label, values in rows for value in values)
    longest = BAR_CHART_WIDTH - 2 * PAD - NUMBER
    row_height = LABEL + len(series) * (BAR + GAP) + ROW_GAP
    picture = Picture(height=len(rows) * row_height, direction="rtl" if rtl else "ltr", width=BAR_CHART_WIDTH)

    def x(position: float, length: float = 0) -> float:
        return round(BAR_CHART_WIDTH - position - length if rtl else position, 1)

    for index, (label, values) in enumerate(rows):
        top = index * row_height
        picture.texts.append(Text(x(PAD), top + LABEL - 5, label))
        for number, (value, one) in enumerate(zip(values, series, strict=True)):
            y = top + LABEL + number * (BAR + GAP)
            length = value / tallest * longest
            if value:
                picture.marks.append(
                    Mark(
                        _rect(x(PAD, length), y, length, BAR),
                        "",
                        gettext("%(series)s, %(category)s: %(number)s") % {
                            "series": one.label,
                            "category": label,
                            "number": _number(value),
                        },
                        one.kind,
                        one.color,
                    )
                )
            picture.texts.append(Text(x(PAD + length + 6), y + BAR - 2, _number(value)))
        picture.lines.append((x(PAD), top + LABEL, x(PAD), top + LABEL + len(series) * (BAR + GAP) - GAP))
    table = [(label, [_number(value) for value in values]) for label, values in rows]
    return BarChart(picture=picture, series=series, table=table)


def _series(figures: dict) -> list[Series]:
    named = {
        "events": Series(gettext("Events"), EVENT_COLOR, "event"),
        "agreements": Series(gettext("Agreements signed"), AGREEMENT_COLOR, "agreement"),
    }
    return [named[kind] for kind in ("events", "agreements") if kind in figures]


def year_chart(data: Timeline, *, with_events: bool = True, with_agreements: bool = True, rtl=None) -> BarChart | None:
    """Events and signed agreements per year of the timeline's years (from its figures: no query)."""
    if data.is_empty:
        return None
    figures = {}
    for kind, months, wanted in (("events", data.event_months, with_events), ("agreements", data.agreement_months, with_agreements)):
        if wanted:
            per_year = defaultdict(int)
            for row in months:
                per_year[row["month"].year] += row["count"]
            figures[kind] = per_year
    series = _series(figures)
    rows = [
        (str(year), [figures[one.kind + "s"][year] for one in series])
        for year in range(data.first_year, data.last_year + 1)
    ]
    return bar_chart(rows, series, rtl=rtl)


def region_chart(figures: dict[str, dict[str, int]], *, rtl=None) -> BarChart | None:
    """Events and agreements per IFRC region (``figures`` from ``selectors.activity_by_region``)."""
    series = _series(figures)
    categories = [(region.value, str(region.label)) for region in Region]
    if any(figures[one.kind + "s"].get("") for one in series):
        categories.append(("", gettext("No region (e.g. the IFRC, the ICRC)")))
    rows = [(label, [figures[one.kind + "s"].get(value, 0) for one in series]) for value, label in categories]
    return bar_chart(rows, series, rtl=rtl)


def _timeline_legend(picture: Picture, with_events: bool, with_agreements: bool) -> list[dict]:
    by_month = picture.by_month
    items = []
    if with_events:
        shape = _rect(-3, -7, 6, 14) if by_month else _circle(0, 0)
        items.append({"label": gettext("Events"), "color": EVENT_COLOR, "d": shape})
    if with_agreements:
        shape = _rect(-3, -7, 6, 14) if by_month else _diamond(0, 0)
        items.append({"label": gettext("Agreements signed"), "color": AGREEMENT_COLOR, "d": shape})
    return items


def timeline_figure(data: Timeline, *, with_events: bool = True, with_agreements: bool = True) -> dict:
    """What templates/core/_timeline.html shows: the picture, its legend and a sentence on it."""
    picture = timeline(data)
    if picture is None:
        return {"picture": None}
    return {
        "picture": picture,
        "legend": _timeline_legend(picture, with_events, with_agreements),
        "summary": timeline_summary(
            data, picture.by_month, with_events=with_events, with_agreements=with_agreements
        ),
    }


def partner_figures(organization_id: int) -> dict:
    """A partner's page: the timeline of the events it attended and the agreements it signed."""
    return {"timeline": timeline_figure(selectors.timeline(organization_id=organization_id))}


def dashboard_figures(user) -> dict | None:
    """The start page: a timeline of all events and agreements, and both per year and per region,
    of the kinds ``user`` may view (None when neither)."""
    with_events = user.has_perm("events.view_event")
    with_agreements = user.has_perm("agreements.view_agreement")
    if not (with_events or with_agreements):
        return None
    data = selectors.timeline(with_events=with_events, with_agreements=with_agreements)
    regions = selectors.activity_by_region(with_events=with_events, with_agreements=with_agreements)
    return {
        "timeline": timeline_figure(data, with_events=with_events, with_agreements=with_agreements),
        "years": year_chart(data, with_events=with_events, with_agreements=with_agreements),
        "regions": region_chart(regions),
    }
