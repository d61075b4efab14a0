"""End to end in a real headless Chromium (Debian's package, driven by Playwright's sync API).

Skipped when /usr/bin/chromium is missing, unless RELATIONS_REQUIRE_BROWSER=1 (CI), which makes
a missing browser a failure.
"""

import csv
import io
import os
import shutil

import pytest
from django.core.management import call_command

from relations.contacts.models import Organization
from relations.events.models import Event
from tests.personas import PASSWORD, create_personas

CHROMIUM = os.environ.get("RELATIONS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRED = os.environ.get("RELATIONS_REQUIRE_BROWSER") == "1"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    missing = None
    if not shutil.which(CHROMIUM):
        missing = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            missing = "the playwright package is not installed"
    if missing:
        if REQUIRED:
            pytest.fail(f"RELATIONS_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test are safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server, transactional_db):
    # The live server's database is flushed between tests: load what the test needs.
    call_command("loaddata", "article", verbosity=0)
    personas = create_personas()
    return live_server.url, personas


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, username, next_url):
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")  # the header also holds the language switcher
    page.wait_for_url(next_url)


def test_login_returns_to_the_wanted_page_then_filter_partners_by_country_and_open_the_profile(site, page, tmp_path):
    url, personas = site
    page.goto(f"{url}/organizations/?country=TM")
    assert "/accounts/login/" in page.url
    log_in(page, personas["viewer"].username, f"{url}/organizations/?country=TM")

    page.goto(f"{url}/organizations/")
    page.select_option("#id_country", "TM")
    page.click("text=Apply filters")
    page.wait_for_url("**/organizations/?*country=TM*")
    assert page.inner_text("#results-heading") == "1 match"
    page.click("text=National Red Crescent Society of Turkmenistan")
    page.wait_for_url("**/organizations/*/")
    body = page.inner_text("main")
    assert "Memorandum of understanding" in body
    assert "Commonwealth of Independent States" in body
    page.screenshot(path=tmp_path / "turkmen-profile.png", full_page=True)
    assert (tmp_path / "turkmen-profile.png").stat().st_size > 0


def test_download_csv_gives_the_filtered_rows(site, page):
    url, personas = site
    page.goto(f"{url}/organizations/?region=europe")
    log_in(page, personas["viewer"].username, f"{url}/organizations/?region=europe")
    with page.expect_download() as info:
        page.click("text=Download CSV")
    download = info.value
    assert download.suggested_filename == "partners.csv"
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert {row["Name"] for row in rows} == set(
        Organization.objects.filter(region="europe").values_list("name", flat=True)
    )


# Elements sticking out of the viewport on either side (right-to-left text overflows to the
# left, which scrollWidth never shows), except inside a container that clips or scrolls them.
OUTSIDE_VIEWPORT = """() => [...document.querySelectorAll('body *')].filter(el => {
    for (let up = el.parentElement; up; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') return false;
    }
    const box = el.getBoundingClientRect();
    const contentSpills = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1
        && getComputedStyle(el).overflowX === 'visible' && !['SELECT', 'INPUT'].includes(el.tagName);
    return contentSpills || (box.width > 0 && (box.left < -1 || box.right > window.innerWidth + 1));
}).map(el => `${el.tagName}.${el.className}: ${el.textContent.trim().slice(0, 40)}`)"""


def assert_fits_the_phone(page, path):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px"
    assert page.evaluate(OUTSIDE_VIEWPORT) == [], path


def test_phone_width_has_no_sideways_scrolling_even_with_long_names(site, browser):
    url, personas = site
    Organization.objects.create(
        name="Общероссийская общественная организация Российский Красный Крест и его региональные отделения",
        # One long word without spaces, in Arabic: right-to-left overflow is the hard case.
        native_name="جمعيةالهلالالأحمرالوطنيةللتنميةالإنسانيةوالتعاونالدوليفيمنطقةالشرقالأوسطوشمالأفريقيا",
        country="RU",
    )
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{url}/organizations/")
    log_in(page, personas["editor"].username, f"{url}/organizations/")
    for path in ("/", "/organizations/", "/organizations/?country=RU", "/contacts/", "/events/", "/agreements/"):
        page.goto(url + path)
        assert_fits_the_phone(page, path)
    page.goto(f"{url}/organizations/?country=RU")
    page.click("table.records a:has-text('Общероссийская')")
    page.wait_for_url("**/organizations/*/")
    assert_fits_the_phone(page, "the long-named profile")
    context.close()


def test_keyboard_focus_is_visible_and_the_skip_link_comes_first(site, page):
    url, personas = site
    page.goto(f"{url}/accounts/login/")
    log_in(page, personas["viewer"].username, f"{url}/")
    page.goto(f"{url}/organizations/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const el = document.activeElement; const box = el.getBoundingClientRect();
                   const style = getComputedStyle(el);
                   return {text: el.textContent.trim(), top: box.top, outline: style.outlineStyle,
                           width: parseFloat(style.outlineWidth)}; }"""
    )
    assert focused["text"] == "Skip to content"
    assert focused["top"] >= 0, "the skip link stays off screen when focused"
    assert focused["outline"] != "none" and focused["width"] >= 2
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("Tab")
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert style[1] != "none" and style[2] >= 2, style
    # Every filter field has a label.
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('form.filters input:not([type=hidden]), form.filters select')]
                 .filter(el => !(el.labels && el.labels.length)).map(el => el.name)"""
    )
    assert unlabelled == []


def test_switch_to_arabic_and_browse_the_partners_list_right_to_left(site, page, tmp_path):
    url, personas = site
    page.goto(f"{url}/organizations/")
    log_in(page, personas["viewer"].username, f"{url}/organizations/")
    brand_left_in_english = page.locator(".brand").bounding_box()["x"]
    # The switcher in the header: choose Arabic, come back to the same page.
    page.select_option("#id_language", "ar")
    page.click(".language-switcher button")
    page.wait_for_url(f"{url}/organizations/")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
    assert page.inner_text("h1") == "الشركاء"
    width = page.evaluate("window.innerWidth")
    # The brand sits at the right end of the bar now, the user menu and switcher at the left.
    brand = page.locator(".brand").bounding_box()
    nav_end = page.locator(".nav-end").bounding_box()
    assert brand["x"] + brand["width"] > width - 100 and brand_left_in_english < 100
    assert nav_end["x"] < brand["x"]
    # Table and filters mirror too: the filter form is right of the results, cells align right.
    filters, results = page.locator("form.filters").bounding_box(), page.locator("section.results").bounding_box()
    assert filters["x"] > results["x"]
    first_cell = page.locator("table.records tbody td").first
    assert first_cell.evaluate("el => getComputedStyle(el).textAlign") in ("start", "right")
    assert first_cell.evaluate("el => getComputedStyle(el).direction") == "rtl"
    cell, row = first_cell.bounding_box(), page.locator("table.records tbody tr").first.bounding_box()
    assert abs((cell["x"] + cell["width"]) - (row["x"] + row["width"])) < 2, "the first column is on the right"
    # The choice is remembered on the next page.
    page.click("text=جهات الاتصال")
    page.wait_for_url(f"{url}/contacts/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=tmp_path / "contacts-rtl.png", full_page=True)
    assert (tmp_path / "contacts-rtl.png").stat().st_size > 0


def test_the_dashboard_draws_its_timeline_and_the_marks_lead_to_the_records(site, browser):
    url, personas = site
    conference = Event.objects.get(kind=Event.Kind.CONFERENCE, parent=None)
    Event.objects.filter(pk=conference.pk).update(start_date="2025-09-29")
    # At phone width and in Arabic: the pictures shrink to the screen and mirror.
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True, locale="ar")
    page = context.new_page()
    page.goto(f"{url}/")
    log_in(page, personas["viewer"].username, f"{url}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    timeline = page.locator("#timeline-heading + figure svg.chart-svg")
    assert timeline.is_visible()
    box = timeline.bounding_box()
    assert 300 < box["width"] <= 375 and box["height"] > 40
    assert_fits_the_phone(page, "/ in Arabic")
    mark = timeline.locator("a")
    assert mark.count() == 1 and mark.bounding_box()["width"] > 4
    mark.click()
    page.wait_for_url(f"{url}{conference.get_absolute_url()}")
    context.close()


def test_typing_in_the_partner_filter_suggests_partners_and_selects_one(site, page):
    url, personas = site
    qrcs = Organization.objects.get(acronym="QRCS")
    page.goto(f"{url}/contacts/")
    log_in(page, personas["viewer"].username, f"{url}/contacts/")
    # The script replaced the id input with a labelled search box.
    box = page.get_by_role("combobox", name="Organization")
    assert box.get_attribute("role") == "combobox"
    box.press_sequentially("qatar red", delay=30)
    option = page.get_by_role("option", name="Qatar Red Crescent Society (QRCS)")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    option.click()
    assert box.input_value() == "Qatar Red Crescent Society (QRCS)"
    assert page.locator("input[name=organization]").input_value() == str(qrcs.pk)
    page.click("text=Apply filters")
    page.wait_for_url(f"**/contacts/?*organization={qrcs.pk}*")
    assert "Al Sada" in page.inner_text("table.records")
    assert "Achilova" not in page.inner_text("table.records")
    # The reloaded page names the chosen partner in the box; the keyboard picks another.
    box = page.get_by_role("combobox", name="Organization")
    assert box.input_value() == "Qatar Red Crescent Society (QRCS)"
    box.fill("")
    box.press_sequentially("turkmen", delay=30)
    page.get_by_role("option", name="National Red Crescent Society of Turkmenistan").wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    assert box.input_value() == "National Red Crescent Society of Turkmenistan"
    page.click("text=Apply filters")
    page.wait_for_url("**/contacts/?*organization=*")
    assert "Achilova" in page.inner_text("table.records")
