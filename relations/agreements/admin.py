from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from relations.agreements.models import Agreement, Party, Signatory
from relations.core.admin import BaseAdmin


def pending_party_ids(party_formset) -> set[int]:
    """The organizations that will be parties once this submission of the party inline is saved."""
    ids = set()
    for form in party_formset.forms:
        if not form.is_valid():
            continue
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("organization"):
            continue
        ids.add(data["organization"].pk)
    return ids


class SignatoryForm(forms.ModelForm):
    party_formset = None  # the sibling party inline of the same submission, set by the formset

    def clean(self):
        data = super().clean()
        if self.party_formset is not None:
            # Validate against the parties as submitted, not as stored: both inlines are saved together.
            self.instance.pending_party_ids = pending_party_ids(self.party_formset)
        return data


class SignatoryFormSet(forms.BaseInlineFormSet):
    party_formset = None

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.party_formset = self.party_formset
        return form


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    min_num = 1
    fields = ("organization",)
    autocomplete_fields = ("organization",)


class SignatoryInline(admin.TabularInline):
    model = Signatory
    form = SignatoryForm
    formset = SignatoryFormSet
    extra = 0
    fields = ("contact", "organization", "title")
    autocomplete_fields = ("contact", "organization")


@admin.register(Agreement)
class AgreementAdmin(BaseAdmin):
    list_display = ("title", "kind", "status", "signed_on", "effective_on", "expires_on", "event")
    list_filter = ("status", "kind", "areas")
    list_select_related = ("event",)
    search_fields = ("title", "summary", "parties__organization__search_key")
    autocomplete_fields = ("event", "areas", "frameworks", "sources")
    date_hierarchy = "signed_on"
    inlines = [PartyInline, SignatoryInline]
    fieldsets = (
        (None, {"fields": ("title", "kind", "status")}),
        (_("Dates"), {"fields": ("signed_on", "effective_on", "expires_on", "event")}),
        (_("Content"), {"fields": ("areas", "frameworks", "summary", "document", "notes", "sources")}),
        (_("Record"), {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )

    def _create_formsets(self, request, obj, change):
        # Django validates inlines one by one; signatories must be checked against the
        # parties of the same submission, so hand the party formset to the signatory one.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        parties = next((fs for fs in formsets if fs.model is Party), None)
        for formset in formsets:
            if formset.model is Signatory:
                formset.party_formset = parties
        return formsets, inline_instances


@admin.register(Party)
class PartyAdmin(BaseAdmin):
    list_display = ("agreement", "organization")
    list_filter = ("agreement__status", "organization__kind")
    list_select_related = ("agreement", "organization")
    search_fields = ("agreement__title", "organization__search_key")
    autocomplete_fields = ("agreement", "organization")


@admin.register(Signatory)
class SignatoryAdmin(BaseAdmin):
    list_display = ("agreement", "contact", "organization", "title")
    list_filter = ("agreement__status",)
    list_select_related = ("agreement", "contact", "organization")
    search_fields = ("agreement__title", "contact__search_key", "organization__search_key", "title")
    autocomplete_fields = ("agreement", "contact", "organization")
