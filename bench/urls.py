"""The product's URLs plus the floor view; used by bench.settings only, never routed in the
product."""

from django.urls import path

from bench import floor
from examsite.urls import urlpatterns as product

urlpatterns = [path("bench/floor/", floor.floor, name="bench-floor"), *product]
