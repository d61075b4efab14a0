"""Who can open which web page: login, view permissions, personal details, admin links, documents."""

from django.core.files.base import ContentFile
from django.urls import reverse

from tests.base import RelationsTestCase

LIST_URLS = ("contacts:organization_list", "contacts:contact_list", "events:event_list", "agreements:agreement_list")
CSV_URLS = ("contacts:organization_csv", "contacts:contact_csv", "events:event_csv", "agreements:agreement_csv")


class LoginRequiredTests(RelationsTestCase):
    def detail_urls(self):
        return [r.get_absolute_url() for r in (self.turkmen, self.al_sada, self.conference, self.mou)]

    def test_anonymous_visitors_are_sent_to_login_and_back_where_they_were_going(self):
        for url in ["/", *map(reverse, LIST_URLS + CSV_URLS), *self.detail_urls()]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(response, f"{reverse('login')}?next={url}", fetch_redirect_response=False)

    def test_logging_in_returns_to_the_wanted_page(self):
        wanted = reverse("contacts:organization_list") + "?country=TM"
        response = self.client.post(
            reverse("login"), {"username": self.viewer.username, "password": self.password, "next": wanted}
        )
        self.assertRedirects(response, wanted)

    def test_a_wrong_password_shows_a_message_on_the_form(self):
        response = self.client.post(reverse("login"), {"username": self.viewer.username, "password": "nope"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please enter a correct username and password")

    def test_logout_is_a_post_from_the_user_menu(self):
        self.client.force_login(self.viewer)
        page = self.client.get("/")
        self.assertContains(page, f'action="{reverse("logout")}"')
        self.assertContains(page, self.viewer.username)
        self.client.post(reverse("logout"))
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_a_user_without_view_permission_is_refused_every_record_page(self):
        self.client.force_login(self.outsider)
        for url in [*map(reverse, LIST_URLS + CSV_URLS), *self.detail_urls()]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_dashboard_tells_a_user_without_permissions_to_ask_for_access(self):
        self.client.force_login(self.outsider)
        response = self.client.get("/")
        self.assertContains(response, "cannot see any records yet")
        self.assertNotContains(response, self.turkmen.name)

    def test_every_page_answers_a_viewer(self):
        self.client.force_login(self.viewer)
        for url in ["/", *map(reverse, LIST_URLS + CSV_URLS), *self.detail_urls()]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)


class ContactDetailsTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.al_sada.email = "private.person@example.org"
        cls.al_sada.phone = "+974 5555 0101"
        cls.al_sada.notes = "Prefers calls in the morning."
        cls.al_sada.save()

    def assert_details_shown(self, response, shown):
        for value in (self.al_sada.email, self.al_sada.phone):
            (self.assertContains if shown else self.assertNotContains)(response, value)

    def test_a_viewer_sees_names_and_positions_but_no_personal_details(self):
        self.client.force_login(self.viewer)
        detail = self.client.get(self.al_sada.get_absolute_url())
        self.assertContains(detail, "Al Sada")
        self.assertContains(detail, "Vice-President")
        self.assert_details_shown(detail, False)
        self.assertNotContains(detail, self.al_sada.notes)
        listing = self.client.get(reverse("contacts:contact_list"))
        self.assertContains(listing, "Al Sada")
        self.assert_details_shown(listing, False)
        self.assertNotContains(listing, ">Email<")

    def test_an_editor_with_the_details_permission_sees_them(self):
        self.client.force_login(self.editor)
        detail = self.client.get(self.al_sada.get_absolute_url())
        self.assert_details_shown(detail, True)
        self.assertContains(detail, self.al_sada.notes)
        self.assert_details_shown(self.client.get(reverse("contacts:contact_list")), True)


class EditInAdminLinkTests(RelationsTestCase):
    def test_an_editor_gets_a_link_to_the_admin_page_of_each_record(self):
        self.client.force_login(self.editor)
        for record in (self.turkmen, self.al_sada, self.conference, self.mou):
            opts = record._meta
            admin_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
            with self.subTest(record=record):
                self.assertContains(self.client.get(record.get_absolute_url()), f'href="{admin_url}"')

    def test_a_viewer_gets_no_edit_link(self):
        self.client.force_login(self.viewer)
        for record in (self.turkmen, self.al_sada, self.conference, self.mou):
            with self.subTest(record=record):
                self.assertNotContains(self.client.get(record.get_absolute_url()), "Edit in admin")


class DocumentDownloadTests(RelationsTestCase):
    def setUp(self):
        self.mou.document.save("mou-signed.pdf", ContentFile(b"%PDF-1.4 signed text"), save=True)
        self.url = reverse("agreements:agreement_document", args=[self.mou.pk])

    def test_a_viewer_downloads_the_signed_document(self):
        self.client.force_login(self.viewer)
        self.assertContains(self.client.get(self.mou.get_absolute_url()), f'href="{self.url}"')
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 signed text")

    def test_anonymous_and_unpermitted_users_cannot_download_it(self):
        self.assertEqual(self.client.get(self.url).status_code, 302)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_an_agreement_without_a_document_or_with_a_lost_file_answers_404(self):
        self.client.force_login(self.viewer)
        self.mou.document.storage.delete(self.mou.document.name)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.mou.document = ""
        self.mou.save()
        self.assertEqual(self.client.get(self.url).status_code, 404)
