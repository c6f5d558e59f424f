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
