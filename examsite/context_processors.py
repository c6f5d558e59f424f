from django.conf import settings
from django.utils import timezone

from accounts import zones


def site(request):
    stored = zones.of_session(request) if hasattr(request, "session") else None
    return {
        "signup_enabled": settings.SIGNUP_ENABLED,
        "password_reset_enabled": settings.PASSWORD_RESET_ENABLED,
        # The zone times on this page are shown in (accounts.zones.TimeZoneMiddleware).
        "time_zone": timezone.get_current_timezone_name(),
        "time_zone_stored": stored,
    }
