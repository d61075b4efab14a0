"""Create the Viewer, Editor and Manager groups (see relations/core/roles.py).

A later migration that adds a model runs ``ensure_roles`` again (it is idempotent)
and depends on this one, so the roles cover the new model's permissions.
"""

from django.db import migrations

from relations.core.roles import ensure_roles


def create_roles(apps, schema_editor):
    ensure_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("contacts", "0001_initial"),
        ("events", "0001_initial"),
        ("agreements", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
