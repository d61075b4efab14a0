"""The serialization format of backups (relations/core/backups.py): Django's JSON, with every time kept whole.

Django's JSON encoder cuts datetimes and times to milliseconds (2026-11-29T02:28:32.123Z), so a
restored change history or login time would differ from the original in its last three digits.
Here they are written with isoformat(), microseconds and offset included, which the stock JSON
deserializer reads back exactly. Registered as "fulljson" in settings.SERIALIZATION_MODULES.
"""

import datetime

from django.core.serializers.json import Deserializer  # noqa: F401 (the module's reading half)
from django.core.serializers.json import Serializer as JSONSerializer


class Serializer(JSONSerializer):
    def _value_from_field(self, obj, field):
        value = field.value_from_object(obj)
        if isinstance(value, datetime.datetime | datetime.time):
            return value.isoformat()
        return super()._value_from_field(obj, field)
