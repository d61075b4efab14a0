"""Arabic, English and Russian interface: the switcher, the remembered choice, direction, formats."""

import re

from django.conf import settings
from django.urls import reverse

from tests.base import RelationsTestCase


def html_tag(response):
    return re.search(r"<html [^>]*>", response.content.decode()).group(0)


class LanguageSwitcherTests(RelationsTestCase):
    def switch(self, language, next_url):
        return self.client.post(reverse("set_language"), {"language": language, "next": next_url})

    def test_every_page_offers_the_three_languages_in_a_post_form_that_returns_to_the_page(self):
        self.client.force_login(self.viewer)
        url = reverse("contacts:organization_list") + "?country=TM"
        page = self.client.get(url)
        self.assertContains(page, f'<form class="language-switcher" method="post" action="{reverse("set_language")}">')
        self.assertContains(page, '<input type="hidden" name="next" value="/organizations/?country=TM">')
        for code, name in (("en", "English"), ("ar", "العربيّة"), ("ru", "Русский")):
            self.assertContains(page, f'<option value="{code}" lang="{code}"')
            self.assertContains(page, name)

    def test_the_login_page_has_the_switcher_too(self):
        self.assertContains(self.client.get(reverse("login")), 'name="language"')

    def test_switching_keeps_the_current_page_and_remembers_the_choice_in_a_cookie(self):
        self.client.force_login(self.viewer)
        url = reverse("contacts:organization_list") + "?country=TM"
        response = self.switch("ar", url)
        self.assertRedirects(response, url, fetch_redirect_response=False)
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "ar")
        # The next pages, and a later visit with the same browser, are in Arabic.
        for path in (url, reverse("dashboard"), self.mou.get_absolute_url()):
            with self.subTest(path=path):
                self.assertIn('lang="ar" dir="rtl"', html_tag(self.client.get(path)))

    def test_an_unknown_language_changes_nothing(self):
        self.client.force_login(self.viewer)
        response = self.switch("xx", "/")
        self.assertNotIn(settings.LANGUAGE_COOKIE_NAME, response.cookies)
        self.assertIn('lang="en" dir="ltr"', html_tag(self.client.get("/")))

    def test_a_next_url_on_another_site_is_not_followed(self):
        response = self.switch("ru", "https://evil.example/")
        self.assertNotIn("evil.example", response.get("Location", ""))

    def test_the_browser_language_is_used_until_the_user_chooses(self):
        self.client.force_login(self.viewer)
        page = self.client.get("/", headers={"accept-language": "ru-RU,ru;q=0.9,en;q=0.5"})
        self.assertIn('lang="ru" dir="ltr"', html_tag(page))
        self.switch("en", "/")
        page = self.client.get("/", headers={"accept-language": "ru-RU,ru;q=0.9"})
        self.assertIn('lang="en" dir="ltr"', html_tag(page))


class DirectionTests(RelationsTestCase):
    def test_arabic_pages_are_right_to_left_and_the_others_left_to_right(self):
        self.client.force_login(self.viewer)
        for code, direction in (("en", "ltr"), ("ar", "rtl"), ("ru", "ltr")):
            self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: code})
            for path in ("/", reverse("contacts:organization_list"), self.turkmen.get_absolute_url(), reverse("login")):
                with self.subTest(code=code, path=path):
                    self.assertIn(f'lang="{code}" dir="{direction}"', html_tag(self.client.get(path)))

    def test_the_stylesheet_uses_logical_properties_so_the_layout_mirrors(self):
        css = (settings.BASE_DIR / "static/css/relations.css").read_text()
        # No physical left/right in the stylesheet: margins, paddings, positions and alignment
        # are written as inline-start/end, which follow the page's direction.
        self.assertEqual(re.findall(r"[\w-]*\b(?:left|right)\b[\w-]*\s*:", css), [])
        self.assertIn("margin-inline-start: auto", css)


class FormatTests(RelationsTestCase):
    """Dates and numbers follow the chosen language, through the same template filters the pages use."""

    def render(self, code):
        import datetime

        from django.template import engines
        from django.utils import translation

        template = engines["django"].from_string("{% load humanize %}{{ n|intcomma }} | {{ d|date }}")
        with translation.override(code):
            return template.render({"n": 12345, "d": datetime.date(2025, 10, 9)})

    def test_english_keeps_the_office_style(self):
        self.assertEqual(self.render("en"), "12,345 | 09 Oct 2025")

    def test_arabic_groups_digits_with_the_arabic_separator_and_names_the_month_in_arabic(self):
        self.assertEqual(self.render("ar"), "12٬345 | 9 أكتوبر، 2025")

    def test_russian_groups_with_a_space_and_declines_the_month(self):
        self.assertEqual(self.render("ru"), "12\xa0345 | 9 октября 2025 г.")
