"""The candidate's time zone: which names are real, where it is kept, and activating it.

The zone is stored on ``Preferences`` and cached in the session at log-in, so showing
times in it costs no query per request (the question page and answer saves have strict
query budgets).
"""

import zoneinfo
from functools import cache

from django.utils import timezone

from accounts.models import Preferences

SESSION_KEY = "time_zone"
MAX_LENGTH = 64


@cache
def _names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_zone(name: str) -> bool:
    """Only real IANA names: the ones zoneinfo can load (no offsets, no abbreviations)."""
    return 0 < len(name) <= MAX_LENGTH and name in _names()


def choices() -> list[str]:
    return sorted(n for n in _names() if "/" in n or n == "UTC")


def stored(user) -> tuple[str, bool]:
    """(zone name or "", whether the browser detected it) as stored for ``user``."""
    row = Preferences.objects.filter(user=user).values_list("time_zone", "time_zone_detected")
    return next(iter(row), ("", False))


def store(request, name: str, *, detected: bool) -> None:
    """Keep ``name`` (already checked with ``is_zone``) for the user and in their session."""
    Preferences.objects.update_or_create(
        user=request.user, defaults={"time_zone": name, "time_zone_detected": detected}
    )
    request.session[SESSION_KEY] = [name, detected]


def remember_at_login(sender, request, user, **kwargs) -> None:
    """Copy the stored zone into the new session (a ``user_logged_in`` receiver)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = list(stored(user))


def of_session(request) -> tuple[str, bool] | None:
    value = request.session.get(SESSION_KEY)
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
        return value[0], bool(value[1])
    return None


class TimeZoneMiddleware:
    """Show times in the candidate's zone; the site's TIME_ZONE when none is stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        current = of_session(request)
        if current is None and request.user.is_authenticated:
            # A session from before zones were kept: read it once, then the session has it.
            current = stored(request.user)
            request.session[SESSION_KEY] = list(current)
        name = current[0] if current else ""
        if name and is_zone(name):
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
