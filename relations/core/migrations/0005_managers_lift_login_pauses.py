"""Managers see and lift paused logins: the roles now cover django-axes' failed-login counts."""

from django.db import migrations

from relations.core.roles import ensure_roles


def update_roles(apps, schema_editor):
    ensure_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_feed_token"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
