"""Search keys gained consonant skeletons (Arabic-script queries find Latin spellings): rebuild them."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from relations.contacts.services import search_keys_rebuild

    search_keys_rebuild(
        organization_model=apps.get_model("contacts", "Organization"),
        contact_model=apps.get_model("contacts", "Contact"),
    )


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
