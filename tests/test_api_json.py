"""API JSON is written by orjson (relations/core/api/renderers.py) and is DRF's JSONRenderer's output byte for byte.

Tricky values are rendered by both renderers, and must give the same bytes or the same exception; those
orjson can write are rendered with DRF's path switched off, so a payload that only matched because it fell
back to DRF would fail. Then every list and detail of the API, on the article's data plus generated records,
is served once by our renderer and once by DRF's, for an editor and a viewer.
"""

import datetime
import decimal
import enum
import time
import uuid
from collections import OrderedDict
from unittest import mock

from django.core.management import call_command
from django.db import models
from django.test import SimpleTestCase
from django.utils.translation import gettext_lazy, override
from rest_framework import renderers as drf
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from relations.core.api import renderers
from tests.api import RESOURCES, APITestCase

EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
UTC = datetime.UTC
PLUS_5 = datetime.timezone(datetime.timedelta(hours=5))


class Kind(models.TextChoices):
    MOU = "mou", "Memorandum"


class Rank(models.IntegerChoices):
    FIRST = 1, "First"


class Colour(enum.Enum):
    RED = "red"


def written_by_orjson():
    """DRF's own render switched off: what renders under it was written by orjson."""
    return mock.patch.object(drf.JSONRenderer, "render", side_effect=AssertionError("DRF's path was taken"))


def nested(depth):
    data = ["bottom"]
    for level in range(depth - 1):
        data = [data] if level % 2 else {"level": data}
    return data


def circular():
    data = {"a": []}
    data["a"].append(data)
    return data


# Values orjson must write itself, as DRF would.
FAST = {
    "scripts": "Туркменистан قطر 中文 한국어 ελληνικά עברית हिन्दी ქართული",
    "emoji": "🇹🇲 👩🏽‍⚕️ 🏳️‍🌈 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "line separators": "one\u2028two\u2029three \u2028\u2029",
    "separators as keys": {"\u2028": "\u2029", "k\u2029": ["\u2028"]},
    "control characters": "".join(chr(c) for c in range(0x20)) + "\x7f\x85\xa0\ufeff",
    "every character": EVERY_CHARACTER,
    "quotes and backslashes": 'a "quoted" \\ back\\slash \\" \\\\ / \'single\'',
    "nested": {"a": [1, [2, [3, {"b": [{}, [], {"c": None}]}]]], "": "", "d": {"e": {"f": {"g": True}}}},
    "literals": [None, True, False, 0, -1, "", [], {}],
    "ints": [2**63 - 1, -(2**63), 2**64 - 1, 10**18, -(10**18)],
    "ordinary floats": [0.0, -0.0, 1.0, 1.5, -2.25, 0.1, 0.0001, 123456789.123, 1e16, 1e22, 1.7976931348623157e308],
    "decimals": [decimal.Decimal("1.10"), decimal.Decimal("0"), decimal.Decimal("-12345.678")],
    "dates": [datetime.date(2024, 2, 29), datetime.date(1, 1, 1)],
    "datetimes": [
        datetime.datetime(2024, 5, 6, 7, 8, 9),
        datetime.datetime(2024, 5, 6, 7, 8, 9, 123456),
        datetime.datetime(2024, 5, 6, 7, 8, 9, 120000, tzinfo=UTC),
        datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
        datetime.datetime(2024, 5, 6, 7, 8, 9, 5, tzinfo=PLUS_5),
    ],
    "times": [datetime.time(0, 0), datetime.time(23, 59, 59, 999999), datetime.time(12, 30, 1)],
    "timedelta": datetime.timedelta(days=1, microseconds=5),
    "uuids": [uuid.UUID(int=0), uuid.UUID("12345678-1234-5678-1234-567812345678")],
    "lazy strings": [gettext_lazy("Partners"), {"label": gettext_lazy("Events")}],
    "return dict": ReturnDict({"id": 1, "name": "QRCS", "rows": ReturnList([{"a": 1}], serializer=None)}, serializer=None),
    "return list": ReturnList([ReturnDict({"id": 1}, serializer=None), {"id": 2}], serializer=None),
    "tuple and set": {"tuple": (1, "two", None), "set": {3}, "frozenset": frozenset({"x"})},
    "choices": [Kind.MOU, Rank.FIRST, {"kind": Kind.MOU}],
    "bytes": b"abc",
    "200 deep": nested(200),
    "empty dict": {},
    "empty list": [],
    "empty string": "",
    "a string alone": "plain",
    "an int alone": 7,
    "false alone": False,
}

def moved_ordered_dict():
    """An OrderedDict whose order is not its dict storage's: orjson would write a, b."""
    ordered = OrderedDict(a=1, b=2)
    ordered.move_to_end("a")
    return ordered


# Values only DRF's path writes right; the renderer must take it (and answer or raise as DRF does).
SLOW = {
    "big int": 2**64,
    "bigger int": 2**70,
    "negative big int": -(2**63) - 1,
    "big int deep": {"a": [{"b": 2**100}]},
    "nan": float("nan"),
    "infinities": [float("inf"), float("-inf")],
    "nan deep": {"a": [1, {"b": float("nan")}]},
    "small floats": [1e-05, 1.5e-7, -3.936145966292681e-08, 5e-324],
    "decimal nan": decimal.Decimal("NaN"),
    "small decimal": decimal.Decimal("0.00001"),
    "int keys": {1: "one", 2: {3: "three"}},
    "other keys": {None: 1, True: 2, 1.5: 3, Kind.MOU: 4},
    "moved ordered dict": moved_ordered_dict(),
    "enum": Colour.RED,
    "aware time": datetime.time(1, 2, tzinfo=UTC),
    "300 deep": nested(300),  # orjson stops at 255
    "circular": circular(),
    "unknown object": object(),
    "lone surrogate": "\ud800",
}


class RenderingTests(SimpleTestCase):
    def render_both(self, data, media_type="application/json", context=None):
        """Each renderer's bytes, or the class of the exception it raised."""
        results = []
        for renderer in (drf.JSONRenderer(), renderers.JSONRenderer()):
            try:
                results.append(renderer.render(data, media_type, context))
            except Exception as error:  # noqa: BLE001 - the same failure is what is asserted
                results.append(type(error))
        return results

    def test_values_orjson_writes_are_drf_bytes_without_drf(self):
        for strict in (True, False):
            with mock.patch.object(drf.JSONRenderer, "strict", strict), override("ar"):
                for name, data in FAST.items():
                    with self.subTest(name, strict=strict):
                        stock = drf.JSONRenderer().render(data, "application/json")
                        with written_by_orjson():
                            ours = renderers.JSONRenderer().render(data, "application/json")
                        self.assertEqual(ours, stock)
        self.assertIn(b'"one\\u2028two\\u2029three', renderers.JSONRenderer().render(FAST["line separators"]))
        self.assertIn("قطر".encode(), renderers.JSONRenderer().render(FAST["scripts"]))

    def test_values_only_drf_writes_right_are_left_to_drf(self):
        for strict in (True, False):
            with mock.patch.object(drf.JSONRenderer, "strict", strict):
                for name, data in SLOW.items():
                    with self.subTest(name, strict=strict):
                        stock, ours = self.render_both(data)
                        self.assertEqual(ours, stock)
                        with written_by_orjson(), self.assertRaises(AssertionError):
                            renderers.JSONRenderer().render(data, "application/json")

    def test_a_generator_is_read_once_by_drfs_path(self):
        # orjson would read it, then hand the data to DRF's path for the big int: which would find it empty
        for make in (lambda: (n for n in range(3)), lambda: [(n for n in range(3)), 2**64], lambda: {"a": map(str, "xy")}):
            stock = drf.JSONRenderer().render(make())
            self.assertEqual(renderers.JSONRenderer().render(make()), stock)
            self.assertNotIn(b"[]", stock)

    def test_nan_is_refused_when_strict_and_written_as_nan_when_not(self):
        self.assertEqual(self.render_both(float("nan")), [ValueError, ValueError])
        with mock.patch.object(drf.JSONRenderer, "strict", False):
            self.assertEqual(self.render_both([float("nan"), float("-inf")]), [b"[NaN,-Infinity]"] * 2)

    def test_none_is_an_empty_body_and_indented_output_is_drfs(self):
        self.assertEqual(renderers.JSONRenderer().render(None), b"")
        data = {"a": [1, "\u2028é"]}
        for media_type, context in (("application/json; indent=4", {}), ("application/json", {"indent": 2})):
            with self.subTest(media_type, context=context):
                stock, ours = self.render_both(data, media_type, context)
                self.assertEqual(ours, stock)
                self.assertIn(b"\n", ours)
        self.assertEqual(self.render_both(data, "application/json; indent=0"), [b'{"a":[1,"\\u2028\xc3\xa9"]}'] * 2)

    def test_settings_drf_cannot_match_with_orjson_take_drfs_path(self):
        data = {"a": ["é", 1]}
        for attribute, value in (("ensure_ascii", True), ("compact", False)):
            with self.subTest(attribute), mock.patch.object(drf.JSONRenderer, attribute, value):
                stock, ours = self.render_both(data)
                self.assertEqual(ours, stock)
                self.assertNotEqual(ours, b'{"a":["\xc3\xa9",1]}')

    def test_the_api_renders_with_ours(self):
        from django.conf import settings

        self.assertEqual(
            settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"][0], "relations.core.api.renderers.JSONRenderer"
        )
        self.assertEqual((renderers.JSONRenderer.format, renderers.JSONRenderer.media_type), ("json", "application/json"))


class APIResponsesTests(APITestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("generate_data", organizations=40, contacts=80, events=40, agreements=40, seed=11, verbosity=0)

    def both(self, url, **params):
        """The body served by our renderer (checked to come from orjson), then by DRF's."""
        with mock.patch.object(renderers.orjson, "dumps", wraps=renderers.orjson.dumps) as dumps:
            ours = self.client.get(url, params)
        self.assertEqual(ours.status_code, 200, url)
        self.assertEqual(dumps.call_count, 1, url)
        with mock.patch.object(renderers.JSONRenderer, "render", drf.JSONRenderer.render):
            stock = self.client.get(url, params)
        return ours.content, stock.content

    def test_every_list_and_detail_is_drfs_bytes(self):
        for persona in (self.editor, self.viewer):
            self.client.force_authenticate(persona)
            for resource in RESOURCES:
                url = f"/api/{resource}/"
                for params in ({"page_size": 200}, {"page": 2, "page_size": 5}, {"search": "a"}):
                    with self.subTest(persona.username, url=url, **params):
                        ours, stock = self.both(url, **params)
                        self.assertEqual(ours, stock)
                ids = [row["id"] for row in self.client.get(url, {"page_size": 200}).json()["results"]]
                self.assertGreater(len(ids), 3, resource)
                for pk in ids:
                    with self.subTest(persona.username, url=f"{url}{pk}/"):
                        ours, stock = self.both(f"{url}{pk}/")
                        self.assertEqual(ours, stock)

    def test_the_schema_still_renders(self):
        self.client.force_authenticate(self.viewer)
        response = self.client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/api/events/", response.json()["paths"])

    def test_a_page_of_50_events_renders_faster(self):
        self.client.force_authenticate(self.editor)
        data = self.client.get("/api/events/", {"page_size": 50}).data
        stock, ours = drf.JSONRenderer(), renderers.JSONRenderer()
        self.assertEqual(ours.render(data, "application/json"), stock.render(data, "application/json"))
        timings = {}
        for name, renderer in (("drf", stock), ("orjson", ours)):
            best = float("inf")
            for _ in range(30):  # the best run: a busy machine only ever adds time
                started = time.perf_counter()
                renderer.render(data, "application/json")
                best = min(best, time.perf_counter() - started)
            timings[name] = best
        self.assertLess(timings["orjson"], timings["drf"])
        print(
            f"\n/api/events/?page_size=50 ({len(stock.render(data))} bytes): DRF {timings['drf'] * 1000:.3f} ms, "
            f"orjson {timings['orjson'] * 1000:.3f} ms ({timings['drf'] / timings['orjson']:.1f}x)"
        )
