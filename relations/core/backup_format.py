"""The serialization format of backups (relations/core/backups.py): Django's JSON, with every time kept whole
and natural keys only where ids differ between databases.

Django's JSON encoder cuts datetimes and times to milliseconds (2026-11-29T02:28:32.123Z), so a
restored change history or login time would differ from the original in its last three digits.
Here they are written with isoformat(), microseconds and offset included, which the stock JSON
deserializer reads back exactly.

Natural foreign keys name only content types and permissions, whose ids `migrate` assigns anew in
every database. Every other reference keeps its id, as the rows keep theirs: naming a partner by its
UUID would cost one query per reference when writing and another when loading (40,000 generated
rows: 22 s to write on SQLite that way, 10 s this way; the file 2.7 MB instead of 1.9 MB).
Registered as "fulljson" in settings.SERIALIZATION_MODULES.
"""

import datetime

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import Deserializer  # noqa: F401 (the module's reading half)
from django.core.serializers.json import Serializer as JSONSerializer

NAMED = (ContentType, Permission)


class Serializer(JSONSerializer):
    def handle_fk_field(self, obj, field):
        self._by_name_only_if_named(super().handle_fk_field, obj, field)

    def handle_m2m_field(self, obj, field):
        self._by_name_only_if_named(super().handle_m2m_field, obj, field)

    def _by_name_only_if_named(self, handle, obj, field):
        natural = self.use_natural_foreign_keys
        self.use_natural_foreign_keys = natural and field.remote_field.model in NAMED
        try:
            handle(obj, field)
        finally:
            self.use_natural_foreign_keys = natural

    def _value_from_field(self, obj, field):
        value = field.value_from_object(obj)
        if isinstance(value, datetime.datetime | datetime.time):
            return value.isoformat()
        return super()._value_from_field(obj, field)
