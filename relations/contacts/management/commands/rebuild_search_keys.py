from django.core.management.base import BaseCommand
from django.db import transaction

from relations.contacts.models import Contact, Organization
from relations.contacts.services import search_keys_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the normalised search key of every organization and person "
        "(needed after loading rows in bulk, which skips save())."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            changed = search_keys_rebuild(organization_model=Organization, contact_model=Contact)
        self.stdout.write(
            f"Search keys rebuilt: {changed['organizations']} organizations, {changed['contacts']} people changed."
        )
