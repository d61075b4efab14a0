"""The project's URLs plus the floor views; used only by bench/settings.py."""

from django.urls import path

from bench.floor import ApiFloorView, WebFloorView
from relations.urls import urlpatterns as relations_urlpatterns

urlpatterns = [
    path("bench/floor/api/<int:size>", ApiFloorView.as_view(), name="bench-floor-api"),
    path("bench/floor/web/<int:size>", WebFloorView.as_view(), name="bench-floor-web"),
    *relations_urlpatterns,
]
