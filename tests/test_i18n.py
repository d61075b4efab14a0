"""Arabic, English and Russian interface: the switcher, the remembered choice, direction, formats."""

import datetime
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


class PageInEachLanguageTests(RelationsTestCase):
    """The same page read in English, Arabic and Russian: headings, choices, dates and counts."""

    def page(self, code, url):
        self.client.force_login(self.editor)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: code})
        return self.client.get(url)

    def test_the_partners_list(self):
        url = reverse("contacts:organization_list")
        expected = {
            "en": ["<h1>Partners</h1>", "Apply filters", "Rows per page", "National Society", "IFRC region"],
            "ar": ["<h1>الشركاء</h1>", "تطبيق التصفية", "عدد الصفوف في الصفحة", "جمعية وطنية", "منطقة الاتحاد الدولي"],
            "ru": ["<h1>Партнёры</h1>", "Применить фильтры", "Строк на странице", "Национальное общество", "Регион МФОКК и КП"],
        }
        for code, texts in expected.items():
            with self.subTest(code=code):
                page = self.page(code, url)
                for text in texts:
                    self.assertContains(page, text, html=text.startswith("<"))

    def test_plural_forms_of_the_match_count(self):
        from django.utils import translation
        from django.utils.translation import ngettext

        cases = {
            "ru": {1: "1 результат", 3: "3 результата", 5: "5 результатов", 21: "21 результат", 12: "12 результатов"},
            "ar": {0: "لا نتائج", 1: "نتيجة واحدة", 2: "نتيجتان", 5: "5 نتائج", 11: "11 نتيجة", 100: "100 نتيجة"},
        }
        for code, numbers in cases.items():
            with translation.override(code):
                for n, text in numbers.items():
                    with self.subTest(code=code, n=n):
                        self.assertEqual(ngettext("%(number)s match", "%(number)s matches", n) % {"number": n}, text)

    def test_an_agreement_page_names_kind_status_and_dates_in_the_language(self):
        url = self.mou.get_absolute_url()
        self.assertContains(self.page("en", url), "Memorandum of understanding")
        arabic = self.page("ar", url)
        self.assertContains(arabic, "مذكرة تفاهم")
        self.assertContains(arabic, "<dt>الحالة</dt>", html=True)
        russian = self.page("ru", url)
        self.assertContains(russian, "Меморандум о взаимопонимании")
        self.assertContains(russian, "<h2 id=\"parties-heading\">Стороны</h2>", html=True)

    def test_a_persons_positions_use_the_month_form_the_sentence_needs(self):
        from relations.contacts.models import Position

        position = Position.objects.filter(start_date__isnull=False).select_related("contact").first()
        if position is None:
            position = self.al_sada.positions.first()
            position.start_date = datetime.date(2025, 10, 1)
            position.save()
        url = position.contact.get_absolute_url()
        month = position.start_date
        self.assertContains(self.page("en", url), f"from {month:%b %Y}")
        russian_genitive = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                            "сентября", "октября", "ноября", "декабря"][month.month - 1]
        self.assertContains(self.page("ru", url), f"с {russian_genitive} {month.year} г.")
        self.assertContains(self.page("ar", url), "منذ ")


class AdminInEachLanguageTests(RelationsTestCase):
    """The admin follows the same language choice: model names, field labels, choices, help texts."""

    def admin_page(self, code, url):
        self.client.force_login(self.manager)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: code})
        return self.client.get(url)

    def test_the_organization_change_form(self):
        url = reverse("admin:contacts_organization_change", args=[self.turkmen.pk])
        expected = {
            "ar": ["الاسم بلغته الأصلية", "جمعية وطنية", "اتركه فارغًا للهيئات الدولية.", "بيانات الاتصال", 'dir="rtl"'],
            "ru": ["Название в собственной письменности", "Национальное общество", "Оставьте пустым для международных организаций.", "Контактные данные", 'lang="ru"'],
        }
        for code, texts in expected.items():
            with self.subTest(code=code):
                page = self.admin_page(code, url)
                self.assertEqual(page.status_code, 200)
                for text in texts:
                    self.assertContains(page, text)

    def test_the_index_and_a_changelist_name_the_models_in_the_language(self):
        index = self.admin_page("ru", reverse("admin:index"))
        for text in ("Ввод данных", "Справочные данные", "Организации", "Соглашения", "Мероприятия"):
            self.assertContains(index, text)
        changelist = self.admin_page("ar", reverse("admin:agreements_agreement_changelist"))
        for text in ("اتفاقيات", "مذكرة تفاهم", "الحالة"):
            self.assertContains(changelist, text)

    def test_validation_messages_come_in_the_language(self):
        from django.core.exceptions import ValidationError
        from django.utils import translation

        from relations.contacts.models import Organization

        organization = Organization(name="IFRC", kind=Organization.Kind.IFRC, country="QA")
        for code, text in (("en", "Leave the country empty"), ("ru", "оставьте страну пустой"), ("ar", "اترك البلد فارغًا")):
            with self.subTest(code=code), translation.override(code):
                with self.assertRaises(ValidationError) as caught:
                    organization.full_clean()
                self.assertIn(text, " ".join(caught.exception.message_dict["country"]))
