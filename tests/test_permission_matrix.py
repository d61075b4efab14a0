"""Who may do what: every web page, admin page and API endpoint against every persona, in ONE table.

Each row of MATRIX is one URL pattern and one action, with the exact outcome for each of the five
personas, in the order of PERSONAS: an anonymous visitor, a user with no group (tests/personas.py's
outsider), a Viewer, an Editor and a Manager. An outcome is an HTTP status, or LOGIN / ADMIN_LOGIN
(a redirect to the site's or the admin's login page that comes back to the page). Rows marked
``details`` also show a person's email and phone: they must appear exactly for the personas that
hold ``contacts.view_contact_details`` (Editor and Manager) and never for the others.

One test per row (its name says which), one subtest per persona, each cell in a savepoint that is
rolled back, so a write in one cell never changes another. ``test_every_url_pattern_has_a_row``
walks the URL resolver: a new URL without a row here fails the build.
"""

from dataclasses import dataclass, field

from axes.models import AccessAttempt

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from relations.agreements.models import Party, Signatory
from relations.contacts.models import Organization, Position
from relations.core.models import Framework, Source, Topic
from relations.core.services import feed_token_get_or_create
from relations.events.models import Participation
from tests.base import RelationsTestCase
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    EventFactory,
    OrganizationFactory,
    SourceFactory,
    TopicFactory,
)

PERSONAS = ("anonymous", "outsider", "viewer", "editor", "manager")
LOGIN, ADMIN_LOGIN = "login", "admin login"
PERSONAL, NEVER = "permission", "never"
EMAIL, PHONE = "matrix.private@example.org", "+974 5555 0199"


@dataclass(frozen=True)
class Row:
    """``url``: a URL name with ``{record}`` placeholders, or a path; ``record``: which record fills it."""

    url: str
    action: str  # read, create, update, delete
    expect: tuple
    method: str = "get"
    record: str | None = None
    data: str | None = None  # a key of MatrixTests.payloads, or "own" (the persona's own login)
    details: str | None = None  # PERSONAL: shown exactly with view_contact_details; NEVER: to nobody
    shows: tuple = (EMAIL, PHONE)  # which personal details the page has room for
    query: str = ""
    api: bool = False
    args: tuple = field(default_factory=tuple)


# Outcomes per persona:             anonymous    no group     viewer       editor  manager
PAGE = (LOGIN, 403, 200, 200, 200)  # a page of records: login, then the model's view permission
OPEN = (LOGIN, 200, 200, 200, 200)  # any logged-in user (what they see depends on permissions)
FEED = (404, 404, 200, 200, 200)  # calendar feeds: the persona's own key; no key or no permission: "No such feed."
PUBLIC = (200, 200, 200, 200, 200)
LOOKUP = (401, 403, 200, 200, 200)  # a filter's search-as-you-type: JSON for a script, not the login page
API_READ = (401, 403, 200, 200, 200)
API_CREATE = (401, 403, 403, 201, 201)
API_UPDATE = (401, 403, 403, 200, 200)
API_DELETE = (401, 403, 403, 403, 204)
API_READ_ONLY_WRITE = (401, 403, 403, 405, 405)  # topics and sources: editors pass the permission, the method is not there
API_READ_ONLY_DELETE = (401, 403, 403, 403, 405)
ADMIN = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200)  # staff with the model permission (viewers are not staff)
ADMIN_MANAGER = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200)  # deleting; users, groups and tokens
ADMIN_REDIRECT = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 302, 302)
ADMIN_MANAGER_REDIRECT = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 302)
ADMIN_NOT_FOUND = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 404, 404)
ADMIN_AUTH_APP = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 404, 200)

# The domain models of the admin: (app_label, model_name, record key, django-import-export, duplicates/merge)
ADMIN_DOMAIN_MODELS = [
    ("core", "source", "source", False, False),
    ("core", "topic", "topic", False, False),
    ("core", "framework", "framework", False, False),
    ("contacts", "organization", "organization", True, True),
    ("contacts", "contact", "contact", True, True),
    ("contacts", "position", "position", False, False),
    ("events", "event", "event", True, False),
    ("events", "participation", "participation", False, False),
    ("agreements", "agreement", "agreement", False, False),
    ("agreements", "party", "party", False, False),
    ("agreements", "signatory", "signatory", False, False),
]
# Users, groups and API tokens: managers only.
ADMIN_AUTH_MODELS = [("auth", "user", "user"), ("auth", "group", "group"), ("authtoken", "tokenproxy", "token")]


def admin_rows() -> list[Row]:
    rows = []
    for app, model, record, spreadsheets, duplicates in ADMIN_DOMAIN_MODELS:
        prefix = f"admin:{app}_{model}"
        contact = model == "contact"
        rows += [
            # The change list has an email column, no phone.
            Row(f"{prefix}_changelist", "read", ADMIN, details=PERSONAL if contact else None, shows=(EMAIL,)),
            Row(f"{prefix}_add", "create", ADMIN),
            Row(f"{prefix}_change", "update", ADMIN, record=record, details=PERSONAL if contact else None),
            Row(f"{prefix}_delete", "delete", ADMIN_MANAGER, record=record),
            # Confirmed: a record nothing points to (else the page explains why it cannot be deleted).
            Row(f"{prefix}_delete", "delete", ADMIN_MANAGER_REDIRECT, method="post", record=f"spare_{model}",
                data="confirm"),
            Row(f"{prefix}_history", "read", ADMIN, record=record),
            Row(f"{prefix}_simple_history", "read", ADMIN, record=record, data="history", details=PERSONAL if contact else None),
            Row(f"/admin/{app}/{model}/{{{record}}}/", "read", ADMIN_REDIRECT, record=record),
        ]
        if spreadsheets:
            rows += [
                Row(f"{prefix}_import", "create", ADMIN),
                Row(f"{prefix}_process_import", "create", (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 405, 405)),
                Row(f"{prefix}_export", "read", ADMIN),
            ]
        if duplicates:
            rows += [
                Row(f"{prefix}_duplicates", "read", ADMIN),
                # Merging deletes one of the two records: change and delete permission.
                Row(f"{prefix}_merge", "delete", ADMIN_MANAGER_REDIRECT),
            ]
    for app, model, record in ADMIN_AUTH_MODELS:
        prefix = f"admin:{app}_{model}"
        rows += [
            Row(f"{prefix}_changelist", "read", ADMIN_MANAGER),
            Row(f"{prefix}_add", "create", ADMIN_MANAGER),
            Row(f"{prefix}_change", "update", ADMIN_MANAGER, record=record),
            Row(f"{prefix}_delete", "delete", ADMIN_MANAGER, record=record),
            Row(f"{prefix}_history", "read", ADMIN_MANAGER, record=record),
            # The bare object address redirects to its change page, which then refuses an editor (above).
            Row(f"/admin/{app}/{model}/{{{record}}}/", "read", ADMIN_REDIRECT, record=record),
        ]
    rows.append(Row("admin:auth_user_password_change", "update", ADMIN_MANAGER, record="user"))
    # Failed logins (django-axes): managers see them and lift a pause by deleting one; nobody adds or edits one.
    prefix = "admin:axes_accessattempt"
    rows += [
        Row(f"{prefix}_changelist", "read", ADMIN_MANAGER),
        Row(f"{prefix}_add", "create", (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 403)),
        Row(f"{prefix}_change", "read", ADMIN_MANAGER, record="accessattempt"),
        Row(f"{prefix}_change", "update", (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 403), method="post",
            record="accessattempt", data="empty"),
        Row(f"{prefix}_delete", "delete", ADMIN_MANAGER_REDIRECT, method="post", record="accessattempt", data="confirm"),
        Row(f"{prefix}_history", "read", ADMIN_MANAGER, record="accessattempt"),
        Row("/admin/axes/accessattempt/{accessattempt}/", "read", ADMIN_REDIRECT, record="accessattempt"),
    ]
    return rows


MATRIX: list[Row] = [
    # ---- Web pages ------------------------------------------------------------------------------------------
    Row("dashboard", "read", OPEN),
    Row("contacts:organization_list", "read", PAGE),
    Row("contacts:organization_csv", "read", PAGE),
    Row("contacts:organization_lookup", "read", LOOKUP, query="q=red"),
    Row("contacts:organization_detail", "read", PAGE, record="qrcs", details=NEVER),
    Row("contacts:organization_feed", "read", FEED, record="turkmen"),
    Row("contacts:contact_list", "read", PAGE, details=PERSONAL),
    Row("contacts:contact_csv", "read", PAGE, details=PERSONAL),
    Row("contacts:contact_vcards", "read", PAGE, details=PERSONAL),
    Row("contacts:contact_detail", "read", PAGE, record="contact", details=PERSONAL),
    Row("contacts:contact_vcard", "read", PAGE, record="contact", details=PERSONAL),
    Row("events:event_list", "read", PAGE),
    Row("events:event_csv", "read", PAGE),
    Row("events:event_lookup", "read", LOOKUP, query="q=meeting"),
    Row("events:event_feed", "read", FEED),
    Row("events:event_calendar", "read", PAGE),
    Row("events:event_detail", "read", PAGE, record="conference"),
    Row("agreements:agreement_list", "read", PAGE),
    Row("agreements:agreement_csv", "read", PAGE),
    Row("agreements:agreement_detail", "read", PAGE, record="agreement"),
    Row("agreements:agreement_document", "read", PAGE, record="agreement"),
    Row("calendar_subscriptions", "read", OPEN),
    # Resetting one's own feed key: allowed to anyone logged in, a no-op without the events permission.
    Row("calendar_subscriptions", "update", (LOGIN, 302, 302, 302, 302), method="post"),
    # The load balancer's probe: no login, nothing but the database's reachability.
    Row("healthz", "read", PUBLIC),
    # ---- Accounts and language ------------------------------------------------------------------------------
    Row("login", "read", PUBLIC),
    Row("login", "create", (200, 302, 302, 302, 302), method="post", data="own"),
    Row("logout", "read", (405, 405, 405, 405, 405)),
    Row("logout", "delete", (302, 302, 302, 302, 302), method="post"),
    Row("password_change", "read", OPEN),
    Row("password_change_done", "read", OPEN),
    Row("password_reset", "read", PUBLIC),
    Row("password_reset_done", "read", PUBLIC),
    Row("password_reset_confirm", "read", PUBLIC, args=("not-a-user", "not-a-token")),
    Row("password_reset_complete", "read", PUBLIC),
    Row("set_language", "update", (302, 302, 302, 302, 302), method="post", data="language"),
    # ---- The REST API ---------------------------------------------------------------------------------------
    *[
        row
        for resource, record, app in (
            ("organization", "qrcs", "contacts"),
            ("contact", "contact", "contacts"),
            ("event", "conference", "events"),
            ("agreement", "agreement", "agreements"),
        )
        for row in (
            Row(f"{app}-api:{resource}-list", "read", API_READ, api=True, details=PERSONAL if resource == "contact" else None,
                query="page_size=200"),
            Row(f"{app}-api:{resource}-list", "read", API_READ, api=True, details=PERSONAL if resource == "contact" else None,
                query="format=csv"),
            Row(f"{app}-api:{resource}-detail", "read", API_READ, api=True, record=record,
                details=PERSONAL if resource == "contact" else None),
            Row(f"{app}-api:{resource}-list", "create", API_CREATE, method="post", api=True, data=resource),
            Row(f"{app}-api:{resource}-detail", "update", API_UPDATE, method="put", api=True, record=record,
                data="put"),
            Row(f"{app}-api:{resource}-detail", "update", API_UPDATE, method="patch", api=True, record=record,
                data=f"patch_{resource}"),
            Row(f"{app}-api:{resource}-detail", "delete", API_DELETE, method="delete", api=True,
                record=f"spare_{resource}"),
        )
    ],
    *[
        row
        for resource, record in (("topic", "topic"), ("source", "source"))
        for row in (
            Row(f"core-api:{resource}-list", "read", API_READ, api=True),
            Row(f"core-api:{resource}-list", "read", API_READ, api=True, query="format=csv"),
            Row(f"core-api:{resource}-detail", "read", API_READ, api=True, record=record),
            Row(f"core-api:{resource}-list", "create", API_READ_ONLY_WRITE, method="post", api=True, data="empty"),
            Row(f"core-api:{resource}-detail", "update", API_READ_ONLY_WRITE, method="put", api=True, record=record,
                data="empty"),
            Row(f"core-api:{resource}-detail", "update", API_READ_ONLY_WRITE, method="patch", api=True,
                record=record, data="empty"),
            Row(f"core-api:{resource}-detail", "delete", API_READ_ONLY_DELETE, method="delete", api=True,
                record=record),
        )
    ],
    # A token for one's own username and password; anonymous sends a wrong password.
    Row("api-token", "create", (400, 200, 200, 200, 200), method="post", api=True, data="own"),
    Row("api-token", "read", (405, 405, 405, 405, 405), api=True),
    # The schema and its docs describe the API, no record: open to all, like the API's own description.
    Row("api-schema", "read", PUBLIC, api=True),
    Row("api-docs", "read", PUBLIC, api=True),
    # ---- The admin ------------------------------------------------------------------------------------------
    Row("admin:index", "read", ADMIN),
    Row("admin:login", "read", (200, 200, 200, 302, 302)),
    Row("admin:logout", "delete", (302, 302, 302, 302, 302), method="post"),
    Row("admin:password_change", "update", ADMIN),
    Row("admin:password_change_done", "read", ADMIN),
    Row("admin:autocomplete", "read", ADMIN, query="app_label=contacts&model_name=position&field_name=organization"),
    Row("admin:jsi18n", "read", ADMIN),
    Row("admin:view_on_site", "read", ADMIN_REDIRECT, record="view_on_site"),
    Row("admin:app_list", "read", ADMIN, args=("contacts",)),
    Row("admin:app_list", "read", ADMIN_AUTH_APP, args=("auth",)),
    Row("/admin/nowhere/", "read", ADMIN_NOT_FOUND),
    *admin_rows(),
]


def pattern_key(route: str, name: str | None) -> str:
    return name or route


def url_patterns(patterns=None, prefix="", namespace=""):
    """Every URL pattern as (route, namespaced name or None)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}" if pattern.name else None


@override_settings(
    # The cells run one after another; the API's throttles would otherwise count them all.
    REST_FRAMEWORK={
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_CLASSES": [],
    }
)
class PermissionMatrixTests(RelationsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.al_sada.email, cls.al_sada.phone = EMAIL, PHONE
        cls.al_sada.save()
        framework = Framework.objects.first() or Framework.objects.create(name="Matrix framework")
        Token.objects.create(user=cls.outsider)
        cls.records = {
            "qrcs": cls.qrcs,
            "turkmen": cls.turkmen,
            "contact": cls.al_sada,
            "conference": cls.conference,
            "agreement": cls.mou,
            "event": cls.conference,
            "organization": cls.qrcs,
            "source": Source.objects.first() or SourceFactory(),
            "topic": Topic.objects.first() or TopicFactory(),
            "framework": framework,
            "position": Position.objects.filter(contact=cls.al_sada).first(),
            "participation": Participation.objects.first(),
            "party": Party.objects.filter(agreement=cls.mou).first(),
            "signatory": Signatory.objects.filter(agreement=cls.mou).first(),
            "user": cls.outsider,
            "group": Group.objects.get(name="Viewer"),
            "token": cls.outsider,  # a token's admin pages are keyed by its user
            "accessattempt": AccessAttempt.objects.create(
                username="intruder", ip_address="203.0.113.9", user_agent="matrix", path_info="/accounts/login/",
                failures_since_start=settings.AXES_FAILURE_LIMIT, get_data="", post_data="", http_accept="*/*",
            ),
            "spare_organization": OrganizationFactory(),
            "spare_contact": ContactFactory(),
            "spare_event": EventFactory(),
            "spare_agreement": AgreementFactory(),
        }
        cls.records["view_on_site"] = cls.qrcs
        for app, model, record, *_ in ADMIN_DOMAIN_MODELS:
            # The fixture is loaded raw, without history: one save gives each record a version to show,
            # and a spare one nothing points to, for a confirmed delete.
            cls.records[record].save()
            key = f"spare_{model}"
            if key not in cls.records:
                cls.records[key] = cls.records[record]

    def setUp(self):
        super().setUp()
        # Media live in a directory of the test's own (tests/conftest.py).
        self.mou.document.save("matrix-mou.pdf", ContentFile(b"%PDF-1.4 signed"), save=True)

    def persona(self, name):
        return None if name == "anonymous" else getattr(self, name)

    def path(self, row: Row) -> str:
        record = self.records[row.record] if row.record else None
        if row.url.startswith("/"):
            path = row.url.format(**({row.record: record.pk} if record else {}))
        elif row.url == "admin:view_on_site":
            path = reverse(row.url, args=[ContentType.objects.get_for_model(record).pk, record.pk])
        elif row.data == "history":
            path = reverse(row.url, args=[record.pk, record.history.first().history_id])
        elif record is not None:
            path = reverse(row.url, args=[record.pk])
        else:
            path = reverse(row.url, args=row.args)
        return f"{path}?{row.query}" if row.query else path

    def payload(self, row: Row, user):
        if row.data == "own":
            username = user.username if user else self.viewer.username
            password = self.password if user else "wrong password"
            return {"username": username, "password": password}
        if row.data == "put":
            # The record as a manager reads it; read-only keys are ignored on input.
            client = APIClient()
            client.force_authenticate(self.manager)
            return client.get(self.path(row)).json()
        russian = Organization.objects.get(country="RU")
        return {
            "confirm": {"post": "yes"},
            "language": {"language": "ru", "next": "/"},
            "empty": {},
            "organization": {"name": "Matrix Red Cross", "country": "MN"},
            "contact": {"given_name": "Ann", "family_name": "Matrix"},
            "event": {"title": "Matrix meeting", "kind": "bilateral_meeting", "start_date": "2026-01-05"},
            "agreement": {"title": "Matrix MoU", "kind": "mou", "status": "draft", "parties": [self.qrcs.pk, russian.pk]},
            "patch_organization": {"city": "Changed"},
            "patch_contact": {"native_name": "Changed"},
            "patch_event": {"city": "Changed"},
            "patch_agreement": {"summary": "Changed"},
        }.get(row.data)

    def request(self, row: Row, persona: str):
        user = self.persona(persona)
        client = APIClient()
        if user is not None:
            client.force_login(user)
        path = self.path(row)
        if "feed" in row.url:
            key = feed_token_get_or_create(user=user).key if user is not None else ""
            path = f"{path}?token={key}"
        data = self.payload(row, user)
        if row.method == "get":
            return client.get(path)
        if row.api:
            return getattr(client, row.method)(path, data, format="json")
        return getattr(client, row.method)(path, data or {})

    def assert_outcome(self, row: Row, persona: str, response, expected):
        path = self.path(row)
        if expected in (LOGIN, ADMIN_LOGIN):
            self.assertEqual(response.status_code, 302)
            login = reverse("login") if expected == LOGIN else reverse("admin:login")
            self.assertTrue(response["Location"].startswith(f"{login}?next="), response["Location"])
            return
        self.assertEqual(response.status_code, expected, getattr(response, "content", b"")[:300])
        if row.api and response.status_code >= 400 and row.method != "get" or row.api and expected in (401, 403):
            self.assertEqual(response["Content-Type"], "application/json")
        if row.details and response.status_code == 200:
            user = self.persona(persona)
            allowed = row.details == PERSONAL and user is not None and user.has_perm("contacts.view_contact_details")
            content = b"".join(response.streaming_content) if response.streaming else response.content
            for value in row.shows:
                with self.subTest(value=value, shown=allowed):
                    self.assertEqual(value.encode() in content, allowed, f"{path} as {persona}")
        if response.status_code in (401, 403, 404) and row.api:
            self.assertNotIn(b"Al Sada", response.content)

    def check_row(self, row: Row):
        self.assertEqual(len(row.expect), len(PERSONAS))
        for persona, expected in zip(PERSONAS, row.expect, strict=True):
            with self.subTest(persona=persona, expected=expected), transaction.atomic():
                response = self.request(row, persona)
                self.assert_outcome(row, persona, response, expected)
                transaction.set_rollback(True)

    def test_every_url_pattern_has_a_row(self):
        covered = set()
        for row in MATRIX:
            match = resolve(self.path(row).split("?")[0])
            covered.add(pattern_key(match.route, match.view_name if match.url_name else None))
        missing = sorted(
            {pattern_key(route, name) for route, name in url_patterns()} - covered
        )
        self.assertEqual(missing, [], "URL patterns without a row in MATRIX")

    def test_the_matrix_has_no_duplicate_rows(self):
        keys = [(row.url, row.method, row.query, row.args) for row in MATRIX]
        self.assertEqual(len(keys), len(set(keys)))


def _make_test(row: Row):
    def test(self):
        self.check_row(row)

    return test


def _test_name(index: int, row: Row) -> str:
    name = row.url.strip("/").replace("/", "_").replace(":", "_").replace("-", "_").replace("{", "").replace("}", "")
    extra = "_csv" if "format=csv" in row.query else ""
    return f"test_{index:03d}_{row.method}_{name or 'root'}{extra}"


for _index, _row in enumerate(MATRIX):
    setattr(PermissionMatrixTests, _test_name(_index, _row), _make_test(_row))

CELLS = len(MATRIX) * len(PERSONAS)
