"""The shipped settings (examsite.settings, read from the same environment) plus what only
the benchmark needs: the floor view's URL, a header counting each request's queries, and a
fast password hasher, since logging the simulated candidates in is setup, not measured."""

from examsite.settings import *  # noqa: F403
from examsite.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.floor.count_queries", *MIDDLEWARE]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
