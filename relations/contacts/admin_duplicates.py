"""Admin pieces for duplicates: a warning on the add form, a "Possible duplicates" page, merging.

The finding is in relations.contacts.duplicates, the merging in relations.contacts.services;
this module only wires them into the admin of people and organizations.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DuplicateCheckForm(forms.ModelForm):
    """Refuses to add a record that matches one on file until the user ticks "Save anyway"."""

    save_anyway = forms.BooleanField(
        required=False,
        label=_("Save anyway"),
        help_text=_("Tick this to add the record even though a similar one is already on file."),
    )
    # Set by DuplicateWarningAdminMixin.get_form: a function(cleaned_data) -> queryset of matches.
    find_matches = None

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk or cleaned_data.get("save_anyway") or self.find_matches is None:
            return cleaned_data
        matches = list(self.find_matches(cleaned_data)[:5])
        if matches:
            links = format_html_join(
                ", ",
                '<a href="{}" target="_blank">{}</a>',
                ((reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_change", args=[m.pk]), m) for m in matches),
            )
            raise ValidationError(
                format_html(
                    gettext(
                        "This looks like a record already on file: {}. Open it to check; if this is really someone "
                        "or something else, tick “Save anyway” and save again."
                    ),
                    links,
                ),
                code="possible_duplicate",
            )
        return cleaned_data


class DuplicatesAdminMixin:
    """Add-form warning, "Possible duplicates" page and merge, for an admin of people or organizations.

    Subclasses set ``duplicate_matches`` (cleaned_data -> queryset), ``duplicate_pairs``
    (() -> list of DuplicatePair) and ``merge_service`` (keep=, remove=, user= -> MergeReport).
    """

    duplicate_matches = None
    duplicate_pairs = None
    merge_service = None
    change_list_template = "admin/contacts/duplicates_change_list.html"
    actions = ["merge_selected"]

    # --- the add form's warning ---
    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type(
                "DuplicateChecked" + self.form.__name__,
                (DuplicateCheckForm, self.form),
                {"find_matches": staticmethod(type(self).duplicate_matches)},
            )
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            fieldsets = [*fieldsets, (_("Duplicates check"), {"fields": ["save_anyway"]})]
        return fieldsets

    # --- pages ---
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("duplicates/", self.admin_site.admin_view(self.duplicates_view), name="%s_%s_duplicates" % info),
            path("merge/", self.admin_site.admin_view(self.merge_view), name="%s_%s_merge" % info),
            *super().get_urls(),
        ]

    def has_merge_permission(self, request):
        return self.has_change_permission(request) and self.has_delete_permission(request)

    def duplicates_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Possible duplicate %(records)s") % {"records": self.opts.verbose_name_plural},
            "pairs": type(self).duplicate_pairs(),
            "can_merge": self.has_merge_permission(request),
            "merge_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_merge"),
        }
        return TemplateResponse(request, "admin/contacts/duplicates.html", context)

    def merge_view(self, request):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        source = request.POST if request.method == "POST" else request.GET
        try:
            keep_pk, remove_pk = int(source.get("keep", "")), int(source.get("remove", ""))
        except ValueError:
            self.message_user(request, gettext("Choose two records to merge."), messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_duplicates"))
        keep = get_object_or_404(self.model, pk=keep_pk)
        remove = get_object_or_404(self.model, pk=remove_pk)
        if keep.pk == remove.pk:
            self.message_user(request, gettext("A record cannot be merged into itself."), messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            try:
                report = type(self).merge_service(keep=keep, remove=remove, user=request.user)
            except (ValidationError, ProtectedError) as error:
                detail = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error.args[0])
                self.message_user(request, gettext("Nothing was merged: %(detail)s") % {"detail": detail}, messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Merged “%(removed)s” into “%(kept)s”: %(summary)s.")
                    % {"removed": remove, "kept": report.kept, "summary": report.summary()},
                )
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[keep.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Merge two %(records)s") % {"records": self.opts.verbose_name_plural},
            "keep": keep,
            "remove": remove,
            "related": [
                (label, count, self.related_counts(remove)[label]) for label, count in self.related_counts(keep).items()
            ],
        }
        return TemplateResponse(request, "admin/contacts/merge_confirm.html", context)

    def related_counts(self, obj) -> dict[str, int]:
        """How many records of each kind point at ``obj``, shown side by side on the merge page."""
        return {label: getattr(obj, accessor).count() for label, accessor in self.merge_related}

    merge_related: tuple[tuple[str, str], ...] = ()

    @admin.action(description=_("Merge the two selected records"), permissions=["merge"])
    def merge_selected(self, request, queryset):
        pks = sorted(queryset.values_list("pk", flat=True)[:3])
        if len(pks) != 2:
            self.message_user(request, gettext("Select exactly two records to merge."), messages.WARNING)
            return None
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_merge")
        return HttpResponseRedirect(f"{url}?keep={pks[0]}&remove={pks[1]}")
