"""Timeline and charts (relations/core/charts.py): inline SVG on the dashboard and a partner's page."""

import datetime
import re
import xml.etree.ElementTree as ET

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relations.agreements.models import Agreement
from relations.core import charts, selectors
from relations.events.models import Event
from tests.base import RelationsTestCase
from tests.factories import AgreementFactory, EventFactory, OrganizationFactory, ParticipationFactory, PartyFactory

SVG = "{http://www.w3.org/2000/svg}"


def svgs(response) -> list[ET.Element]:
    """Every inline SVG picture of a page (not the legends' swatches), parsed as XML."""
    html = response.content.decode()
    return [ET.fromstring(markup) for markup in re.findall(r'<svg [^>]*class="chart-svg".*?</svg>', html, re.S)]


def links(svg: ET.Element) -> list[tuple[str, str]]:
    """The (href, title) of every mark that is a link."""
    return [(a.get("href"), a.find(f"{SVG}title").text) for a in svg.iter(f"{SVG}a")]


def bars(svg: ET.Element) -> list[ET.Element]:
    """The bars of a bar chart: shapes with their own title (a timeline's marks are links with a title)."""
    return [path for path in svg.iter(f"{SVG}path") if path.find(f"{SVG}title") is not None]


class ArticleDatesMixin:
    """The article's conference and its side meetings on 29 September 2025, the MoU signed on its second day."""

    @classmethod
    def date_the_article(cls):
        Event.objects.filter(pk=cls.conference.pk).update(start_date="2025-09-29", end_date="2025-10-02")
        Event.objects.filter(parent=cls.conference).update(start_date="2025-09-30")
        Agreement.objects.filter(pk=cls.mou.pk).update(signed_on="2025-09-30")


class TimelineTests(ArticleDatesMixin, RelationsTestCase):
    def setUp(self):
        self.client.force_login(self.viewer)

    def test_undated_records_give_a_clear_nothing_yet_instead_of_an_empty_chart(self):
        # The article's records carry no dates: nothing to place on a timeline.
        for url in ("/", self.turkmen.get_absolute_url()):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "Nothing on the timeline yet: no dated events or signed agreements.")
                # The only pictures left are the start page's per-region bars (undated records count there).
                self.assertEqual(len(svgs(response)), 1 if url == "/" else 0)

    def test_the_partner_timeline_has_a_mark_per_event_attended_and_agreement_signed_linking_to_it(self):
        self.date_the_article()
        response = self.client.get(self.turkmen.get_absolute_url())
        (svg,) = svgs(response)
        marks = links(svg)
        attended = Event.objects.filter(participations__organization=self.turkmen).distinct()
        self.assertEqual(len(marks), attended.count() + 1)
        hrefs = {href for href, _title in marks}
        self.assertEqual(hrefs, {event.get_absolute_url() for event in attended} | {self.mou.get_absolute_url()})
        titles = dict(marks)
        self.assertEqual(titles[self.mou.get_absolute_url()], f"Agreement signed 30 Sep 2025: {self.mou.title}")
        self.assertEqual(titles[self.conference.get_absolute_url()], f"Event: {self.conference.title}, 29 Sep 2025")
        years = [text.text for text in svg.iter(f"{SVG}text")]
        self.assertEqual(years, ["2025"])
        self.assertEqual(svg.get("viewBox").split()[:3], ["0", "0", str(charts.WIDTH)])
        self.assertEqual(svg.get("width"), "100%")

    def test_the_dashboard_timeline_places_every_dated_record(self):
        self.date_the_article()
        EventFactory(title="Workshop", start_date=datetime.date(2019, 3, 1))
        AgreementFactory(title="Old agreement", signed_on=datetime.date(2018, 5, 5))
        response = self.client.get("/")
        timeline = svgs(response)[0]
        self.assertEqual(len(links(timeline)), 5 + 1 + 1 + 1)
        self.assertEqual([text.text for text in timeline.iter(f"{SVG}text")], [str(year) for year in range(2018, 2026)])
        self.assertContains(response, "6 events and 2 signed agreements, 2018 to 2025.")

    def test_a_name_with_markup_is_escaped(self):
        event = EventFactory(title='<script>alert("x")</script> & co', start_date=datetime.date(2024, 1, 10))
        ParticipationFactory(event=event, organization=self.turkmen)
        response = self.client.get(self.turkmen.get_absolute_url())
        html = response.content.decode()
        self.assertNotIn("<script>alert", html)
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co", html)
        (svg,) = svgs(response)
        self.assertEqual(links(svg), [(event.get_absolute_url(), 'Event: <script>alert("x")</script> & co, 10 Jan 2024')])

    def test_many_records_are_drawn_by_month_linking_to_the_filtered_list(self):
        partner = OrganizationFactory()
        for day in range(1, 29):
            ParticipationFactory(organization=partner, event=EventFactory(start_date=datetime.date(2024, 2, day)))
        ParticipationFactory(organization=partner, event=EventFactory(start_date=datetime.date(2024, 5, 1)))
        for _ in range(charts.selectors.TIMELINE_MARKS):
            ParticipationFactory(organization=partner, event=EventFactory(start_date=datetime.date(2023, 1, 1)))
        response = self.client.get(partner.get_absolute_url())
        (svg,) = svgs(response)
        marks = dict(links(svg))
        # Three months with events: February 2024 (28), May 2024 (1, links to itself), January 2023 (80).
        self.assertEqual(len(marks), 3)
        february = reverse("events:event_list") + f"?date_from=2024-02-01&date_to=2024-02-29&participant={partner.pk}"
        self.assertEqual(marks[february], "February 2024: 28 events")
        may = Event.objects.get(start_date=datetime.date(2024, 5, 1))
        self.assertIn(may.get_absolute_url(), marks)
        self.assertContains(response, "Each bar is a month")
        # The filtered list shows just those 28.
        listed = self.client.get(february)
        self.assertEqual(listed.context["table"].page.paginator.count, 28)

    def test_a_timeline_shows_the_last_ten_years_and_says_how_many_earlier_are_left_out(self):
        for year in (2001, 2002, 2014, 2023):
            EventFactory(start_date=datetime.date(year, 6, 1))
        data = selectors.timeline()
        self.assertEqual((data.first_year, data.last_year, data.earlier), (2014, 2023, 2))
        self.assertEqual(len(data.events), 2)
        picture = charts.timeline(data, rtl=False)
        self.assertEqual([text.text for text in picture.texts], [str(year) for year in range(2014, 2024)])

    def test_dates_at_the_ends_of_the_calendar_draw_without_error(self):
        # Nothing bounds a date field: year 9999 (a typo) and year 1 must not break the pages.
        event = EventFactory(start_date=datetime.date(9999, 12, 31))
        ParticipationFactory(event=event, organization=self.turkmen)
        for _ in range(charts.selectors.TIMELINE_MARKS + 1):  # by month: a bar for December 9999
            ParticipationFactory(event=EventFactory(start_date=datetime.date(9999, 12, 1)), organization=self.turkmen)
        PartyFactory(organization=self.turkmen, agreement=AgreementFactory(signed_on=datetime.date(1, 1, 1)))
        for url in ("/", self.turkmen.get_absolute_url()):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "9999")
                self.assertContains(response, "1 earlier record is not shown.")
                self.assertIn("date_to=9999-12-31", " ".join(href for href, _title in links(svgs(response)[0])))

    def test_right_to_left_mirrors_the_time_axis(self):
        EventFactory(start_date=datetime.date(2020, 1, 1))
        EventFactory(start_date=datetime.date(2024, 12, 31))
        data = selectors.timeline()
        ltr, rtl = charts.timeline(data, rtl=False), charts.timeline(data, rtl=True)
        ltr_years = {text.text: text.x for text in ltr.texts}
        rtl_years = {text.text: text.x for text in rtl.texts}
        self.assertLess(ltr_years["2020"], ltr_years["2024"])
        self.assertGreater(rtl_years["2020"], rtl_years["2024"])
        self.assertEqual(rtl_years["2020"], charts.WIDTH - ltr_years["2020"])
        self.assertEqual((ltr.direction, rtl.direction), ("ltr", "rtl"))

    def test_the_timeline_runs_a_fixed_number_of_queries(self):
        # Events by month, agreements by month; then each kind one by one (few enough to draw singly).
        self.date_the_article()
        with self.assertNumQueries(4):
            selectors.timeline(organization_id=self.turkmen.pk)
        for _ in range(charts.selectors.TIMELINE_MARKS + 1):
            PartyFactory(organization=self.turkmen, agreement=AgreementFactory(signed_on=datetime.date(2024, 1, 1)))
        # Too many for single marks: the two monthly figures only.
        with self.assertNumQueries(2):
            selectors.timeline(organization_id=self.turkmen.pk)


class ChartTests(ArticleDatesMixin, RelationsTestCase):
    def setUp(self):
        self.client.force_login(self.viewer)

    def test_per_region_counts_each_event_and_agreement_once_per_region_of_its_organizations(self):
        response = self.client.get("/")
        # The article is undated: nothing per year yet, but its events and MoU count per region.
        (regions,) = svgs(response)
        self.assertContains(response, "Nothing to count yet.", count=1)
        # Events: Europe, Middle East and North Africa, and no region (the IFRC took part); the MoU: Europe and MENA.
        self.assertEqual(len(bars(regions)), 3 + 2)
        self.assertIn("No region (e.g. the IFRC, the ICRC)", [text.text for text in regions.iter(f"{SVG}text")])
        figures = selectors.activity_by_region()
        # Every article event had European and Middle East participants; the MoU has a party in each.
        self.assertEqual(figures["events"]["europe"], 5)
        self.assertEqual(figures["events"]["mena"], 5)
        self.assertEqual(figures["agreements"], {"europe": 1, "mena": 1})

    def test_the_dashboard_charts_per_year_and_per_region_with_a_legend_and_a_table_of_the_figures(self):
        self.date_the_article()
        AgreementFactory(signed_on=datetime.date(2023, 2, 1))
        response = self.client.get("/")
        timeline, years, regions = svgs(response)
        # Per year, 2023 to 2025: two bars a year where there is something (2023: one agreement; 2025: both).
        self.assertEqual([text.text for text in years.iter(f"{SVG}text")], ["2023", "0", "1", "2024", "0", "0", "2025", "5", "1"])
        self.assertEqual(len(bars(years)), 3)
        # Per region: five regions (and those without one, e.g. the IFRC, when they took part).
        labels = [text.text for text in regions.iter(f"{SVG}text")][::3]
        self.assertEqual(labels[:5], ["Africa", "Americas", "Asia Pacific", "Europe", "Middle East and North Africa"])
        self.assertEqual(len(bars(regions)), sum(1 for value in selectors.activity_by_region().values() for n in value.values() if n))
        self.assertContains(response, '<th scope="row">2025</th><td>5</td><td>1</td>', html=True)
        self.assertContains(response, "Agreements signed</li>")

    def test_an_empty_database_says_nothing_yet_for_each_chart(self):
        Agreement.objects.all().delete()
        Event.objects.filter(parent__isnull=False).delete()
        Event.objects.all().delete()
        response = self.client.get("/")
        self.assertEqual(svgs(response), [])
        self.assertContains(response, "Nothing on the timeline yet")
        self.assertContains(response, "Nothing to count yet.", count=2)

    def test_a_user_sees_only_the_kinds_they_may_view(self):
        self.client.force_login(self.outsider)
        response = self.client.get("/")
        self.assertNotContains(response, "Timeline")
        self.assertEqual(svgs(response), [])

    def test_a_region_label_and_series_are_escaped_in_the_svg(self):
        chart = charts.bar_chart(
            [("<b>Region</b>", [3, 1])],
            [charts.Series("<i>E</i>", "#000", "event"), charts.Series("A", "#111", "agreement")],
            rtl=False,
        )
        html = render_to_string("core/_bar_chart.html", {"chart": chart, "label": "x", "category": "y"})
        self.assertNotIn("<b>", html)
        self.assertIn("&lt;b&gt;Region&lt;/b&gt;", html)
        svg = ET.fromstring(re.search(r"<svg [^>]*class=\"chart-svg\".*?</svg>", html, re.S).group(0))
        self.assertEqual(len(bars(svg)), 2)

    def test_the_arabic_and_russian_dashboards_draw_the_charts_with_translated_labels_and_local_numbers(self):
        self.date_the_article()
        for code, heading, region in (("ar", "الخط الزمني", "أوروبا"), ("ru", "Хронология", "Европа")):
            with self.subTest(language=code):
                response = self.client.get("/", headers={"accept-language": code})
                self.assertContains(response, heading)
                timeline, years, regions = svgs(response)
                self.assertEqual(timeline.get("direction"), "rtl" if code == "ar" else "ltr")
                self.assertIn(region, [text.text for text in regions.iter(f"{SVG}text")])
                self.assertEqual(len(links(timeline)), 6)


class GeneratedDataTests(RelationsTestCase):
    def test_generated_data_gives_a_bar_per_month_with_records_and_a_fixed_number_of_queries(self):
        call_command(
            "generate_data", seed=7, anchor_date=datetime.date(2026, 6, 1), verbosity=0,
            organizations=40, contacts=40, events=300, agreements=120,
        )
        data = selectors.timeline()
        months = {row["month"] for row in data.event_months} | {row["month"] for row in data.agreement_months}
        self.assertIsNone(data.events)
        picture = charts.timeline(data, rtl=False)
        self.assertTrue(picture.by_month)
        self.assertEqual(len(picture.marks), len(data.event_months) + len(data.agreement_months))
        self.assertGreater(len(months), 12)
        self.client.force_login(self.viewer)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/")
        timeline, years, regions = svgs(response)
        self.assertEqual(len(links(timeline)), len(picture.marks))
        year_rows = data.last_year - data.first_year + 1
        self.assertEqual(len([t for t in years.iter(f"{SVG}text")]), year_rows * 3)
        self.assertLess(len(queries), 25)


class SummaryTests(ArticleDatesMixin, RelationsTestCase):
    def test_a_user_who_may_not_view_agreements_sees_only_events(self):
        self.date_the_article()
        limited = Group.objects.create(name="events only")
        limited.permissions.set(Permission.objects.filter(codename__in=["view_event"]))
        self.outsider.groups.add(limited)
        self.client.force_login(self.outsider)
        response = self.client.get("/")
        timeline, years, regions = svgs(response)
        self.assertEqual({href.split("/")[1] for href, _title in links(timeline)}, {"events"})
        self.assertContains(response, "5 events, 2025.")
        self.assertNotContains(response, "Agreements signed")
