from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignupQuerySet(models.QuerySet):
    def recent(self, ip_address: str | None, now=None):
        since = (now or timezone.now()) - timedelta(minutes=settings.SIGNUP_WINDOW_MINUTES)
        return self.filter(ip_address=ip_address, created__gte=since)


class Signup(models.Model):
    """One account created, and from where: sign-ups are throttled per client address.

    Rows live in the database rather than a cache so every app container counts the same.
    """

    ip_address = models.GenericIPAddressField(null=True)
    created = models.DateTimeField(default=timezone.now)

    objects = SignupQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["ip_address", "created"])]

    def __str__(self):
        return f"sign-up from {self.ip_address} at {self.created:%Y-%m-%d %H:%M}"


class Preferences(models.Model):
    """What a candidate set for themselves: for now, the time zone times are shown in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    # An IANA name (accounts.zones checks it); empty: the site's TIME_ZONE.
    time_zone = models.CharField(max_length=64, blank=True)
    # True when the browser reported the zone, False when the candidate chose it: a
    # detected zone follows the browser when it moves, a chosen one stays.
    time_zone_detected = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self):
        return f"preferences of {self.user}"
