"""Declarative building blocks of the web pages: a filtered list, its CSV download, a detail page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import DetailView, TemplateView, View
from django_filters.views import FilterMixin, FilterView
from django_tables2 import SingleTableMixin

from relations.core import access, charts, health, selectors, services
from relations.core.exports import csv_response, stream
from relations.core.tables import PAGE_SIZES
from relations.events import calendars


class RecordListView(LoginRequiredMixin, PermissionRequiredMixin, SingleTableMixin, FilterView):
    """A filterable, sortable, paginated list of one kind of record.

    Subclasses declare ``selector`` (a function returning the queryset), ``filterset_class``,
    ``table_class``, ``permission_required``, ``title`` and ``csv_url_name``.
    """

    template_name = "core/record_list.html"
    # A bad filter value shows an error on the form; the other filters still apply.
    strict = False
    selector = None
    title = ""
    csv_url_name = ""

    def get_queryset(self):
        return self.selector()

    def get_table_kwargs(self):
        return {"request": self.request}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title, csv_url=reverse(self.csv_url_name), page_sizes=PAGE_SIZES, **kwargs
        )


class RecordCsvView(LoginRequiredMixin, PermissionRequiredMixin, FilterMixin, View):
    """Every row the list page's filters select (all pages), as a streamed CSV file.

    Subclasses declare ``selector``, ``filterset_class``, ``permission_required``, ``filename``
    and ``columns`` (a function of the user returning the CSV columns).
    """

    selector = None
    filename = "export.csv"
    columns = None
    chunk_size = 2000

    def get_queryset(self):
        return self.selector()

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())
            message = gettext("Bad filter values, nothing exported. %(problems)s") % {"problems": problems}
            return HttpResponse(f"{message}\n", status=400, content_type="text/plain")
        records = stream(filterset.qs, self.chunk_size)
        return csv_response(self.filename, records, self.columns(request.user))


class RecordDetailView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    """One record's page; users allowed to change it get a link to its admin page."""

    selector = None

    def get_queryset(self):
        return self.selector()

    def get_context_data(self, **kwargs):
        return super().get_context_data(admin_url=access.admin_change_url(self.request.user, self.object), **kwargs)


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            dashboard=selectors.dashboard(self.request.user), figures=charts.dashboard_figures(self.request.user), **kwargs
        )


class CalendarFeedView(View):
    """An iCalendar feed for the user whose feed key is in the address (``?token=``).

    Calendar clients send no cookies, so the key, not the session, says who asks; an unknown
    key, or a user no longer allowed to see the events, gets 404 "No such feed.". Subclasses
    declare ``permission_required`` and ``get_calendar()`` (the calendar's name and events, or None).
    """

    permission_required: tuple[str, ...] = ("events.view_event",)
    filename = "events.ics"

    def get_calendar(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        user = selectors.feed_token_owner(request.GET.get("token", ""))
        calendar = self.get_calendar() if user is not None and user.has_perms(self.permission_required) else None
        if calendar is None:
            return HttpResponseNotFound(gettext("No such feed.") + "\n", content_type="text/plain; charset=utf-8")
        name, events = calendar
        return calendars.ical_response(request, name=name, events=events, filename=self.filename)


class CalendarSubscriptionsView(LoginRequiredMixin, TemplateView):
    """The user's calendar feed addresses, and a POST that resets their key."""

    template_name = "core/calendar_subscriptions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**calendars.subscriptions(self.request), **kwargs)

    def post(self, request, *args, **kwargs):
        if request.user.has_perm("events.view_event"):
            services.feed_token_reset(user=request.user)
            messages.success(
                request, gettext("Your feed address has changed. Subscriptions using the old one have stopped working.")
            )
        return HttpResponseRedirect(request.get_full_path())


class HealthView(View):
    """GET /healthz: 200 {"status": "ok"} when the database answers, else 503 {"status": "unavailable"}.

    No login, no session or cookie, nothing about the version, the host or the error: the answer is
    for a load balancer, which may probe over plain HTTP (settings.SECURE_REDIRECT_EXEMPT).
    """

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        ok = health.database_reachable()
        response = JsonResponse({"status": "ok" if ok else "unavailable"}, status=200 if ok else 503)
        response["Cache-Control"] = "no-store"
        return response


class RecordLookupView(PermissionRequiredMixin, View):
    """Suggestions for a record filter's search-as-you-type (``static/js/lookup.js``), as JSON.

    ``GET ?q=<text>`` answers ``{"results": [{"id": 4, "label": "Turkmen Red Crescent Society"}]}``,
    at most 20 records. Subclasses declare ``permission_required`` and ``selector`` (a function of
    the query returning the records). A script gets JSON, not the login page: 401 without a login,
    403 without the view permission.
    """

    selector = None
    max_query_length = 100

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return JsonResponse({"detail": gettext("Log in to look up records.")}, status=401)
        return JsonResponse({"detail": gettext("You may not look up these records.")}, status=403)

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "")[: self.max_query_length]
        records = self.selector(query)
        return JsonResponse({"results": [{"id": record.pk, "label": record.lookup_label} for record in records]})
