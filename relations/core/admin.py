from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from relations.core.concurrency import (
    ANY,
    StaleRecordError,
    WriteConflictError,
    check_version,
    record_version,
    retry_on_write_conflict,
    write_conflict_message,
)
from relations.core.models import Framework, Source, Topic

admin.site.site_header = format_lazy(_("Relations — {office}"), office=settings.RELATIONS_OFFICE_NAME)
admin.site.site_title = _("Relations admin")
admin.site.index_title = _("Data entry")


VERSION_FIELD = "record_version"


class VersionedForm(forms.ModelForm):
    """A change form that carries the version it was opened at and refuses a stale save.

    The version is checked in ``clean()`` under a row lock; the admin runs validation
    and the save in one transaction, so the lock holds until the save is committed.
    """

    record_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # The version of the stored record, when the form shows another one (an old version to revert to).
    current_version: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial[VERSION_FIELD] = self.current_version or record_version(self.instance)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            try:
                submitted = cleaned_data.get(VERSION_FIELD)
                # The wildcard is for API clients that ask for it (If-Match: *); a form names the version it showed.
                check_version(self.instance, None if (submitted or "").strip() == ANY else submitted)
            except StaleRecordError as error:
                raise ValidationError(str(error), code="stale") from error
        return cleaned_data


class WriteConflictForm(forms.BaseForm):
    """Refuses every submission with the write-conflict error, so the admin shows the form again with the user's
    input (mixed into the admin's form class once a save was aborted twice; see BaseAdmin.changeform_view)."""

    def clean(self):
        super().clean()
        raise ValidationError(write_conflict_message(), code="write_conflict")


class BaseAdmin(SimpleHistoryAdmin):
    """Common ground for every Relations admin: history with revert, timestamps shown
    read-only, and a change form that refuses to overwrite someone else's newer save.

    A save (with its inlines) that PostgreSQL aborts because another write locked the same rows in the other
    order (a deadlock: relations/core/concurrency.py) runs once more from the start, as if submitted again: the
    form is rebuilt from the request and the record fetched again, so the second attempt either saves or finds
    the version changed and says so. Aborted twice, the form is shown again with what the user entered and an
    error saying that nothing was saved.
    """

    form = VersionedForm
    readonly_fields = ("created_at", "updated_at")
    list_per_page = 100
    show_full_result_count = False

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        return [*fieldsets, (None, {"fields": [VERSION_FIELD], "classes": ["hidden"]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        current = getattr(request, "_relations_current_version", None)
        if current:
            form = type(form.__name__, (form,), {"current_version": current})
        if getattr(request, "_relations_write_conflict", False):
            form = type(form.__name__, (WriteConflictForm, form), {})
        return form

    def _retried(self, request, view, refused=None):
        """``view()`` (a POST's whole transaction), run again once if the database aborts it as a deadlock's victim;
        aborted twice, ``refused(error)`` answers, by default ``view()`` run once more with every form refusing,
        so the page comes back with the user's input."""
        if request.method != "POST":
            return view()
        try:
            return retry_on_write_conflict(view, using=router.db_for_write(self.model))
        except WriteConflictError as error:
            if refused is not None:
                return refused(error)
            request._relations_write_conflict = True
            return view()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Each attempt is Django's own: its transaction, the record fetched again, the forms built from the POST.
        return self._retried(
            request, lambda: super(BaseAdmin, self).changeform_view(request, object_id, form_url, extra_context)
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history hides the Revert button from users without change permission
        # but accepts their POST: refuse it here.
        if request.method == "POST" and not (
            self.has_change_permission(request) and self.has_change_history_permission(request)
        ):
            raise PermissionDenied

        def view():
            with transaction.atomic(using=router.db_for_write(self.model)):
                current = self.get_object(request, unquote(object_id))
                if current is not None:
                    # The revert form shows an old version but must check against the stored one.
                    request._relations_current_version = record_version(current)
                return super(BaseAdmin, self).history_form_view(request, object_id, version_id, extra_context)

        return self._retried(request, view)

    def delete_view(self, request, object_id, extra_context=None):
        def refused(error):
            # Nothing was deleted: back to the confirmation page, with the reason.
            messages.error(request, str(error))
            return HttpResponseRedirect(request.get_full_path())

        return self._retried(
            request, lambda: super(BaseAdmin, self).delete_view(request, object_id, extra_context), refused
        )


@admin.register(Source)
class SourceAdmin(BaseAdmin):
    list_display = ("title", "kind", "publisher", "agency", "published_on", "language")
    list_filter = ("kind", "language", "publisher")
    list_select_related = ()
    search_fields = ("title", "publisher", "agency", "summary", "url")
    date_hierarchy = "published_on"
    autocomplete_fields = ()


@admin.register(Topic)
class TopicAdmin(BaseAdmin):
    list_display = ("name", "slug")
    list_filter = ()
    list_select_related = ()
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ()


@admin.register(Framework)
class FrameworkAdmin(BaseAdmin):
    list_display = ("name", "url")
    list_filter = ()
    list_select_related = ()
    search_fields = ("name", "description")
    autocomplete_fields = ()


class NameSearchMixin:
    """Admin search (and autocomplete) that also matches the record's normalised search key,
    so "Al-Sada", "Alsada" and a Cyrillic spelling find the same record."""

    def get_search_results(self, request, queryset, search_term):
        from relations.core.filters import search_key_filter

        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results = results | search_key_filter(queryset, search_term)
        return results, may_have_duplicates


@admin.register(AccessAttempt)
class FailedLoginAdmin(AccessAttemptAdmin):
    """Failed logins counted by django-axes (relations/core/lockout.py), one row per username and address.

    Managers see who is paused ("Locked out") and lift a pause by deleting the row, before the cool-off
    ends on its own. Rows are written only by failed logins: no adding or changing here, and the form
    data axes keeps (the username, the password masked) is left out.
    """

    list_display = ("username", "ip_address", "failures_since_start", "status", "attempt_time", "path_info")
    list_display_links = ("username",)
    list_filter = ("attempt_time", "path_info", *[f for f in AccessAttemptAdmin.list_filter if not isinstance(f, str)])
    fieldsets = ((None, {"fields": ("username", "ip_address", "path_info", "failures_since_start", "attempt_time")}),
                 (_("Browser"), {"fields": ("user_agent", "http_accept")}))
    actions = ["delete_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def response_delete(self, request, obj_display, obj_id):
        # Django goes back to the admin's index when the model cannot be changed: back to the list instead.
        response = super().response_delete(request, obj_display, obj_id)
        if isinstance(response, HttpResponseRedirect) and response.url == reverse("admin:index"):
            return HttpResponseRedirect(reverse("admin:axes_accessattempt_changelist"))
        return response
