"""Constants and small helpers shared by the tests."""

from pathlib import Path

from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
# Every test starts at this instant (see the autouse ``clock`` fixture), so none depends on
# the day it runs; attempts in tests start here too.
T0 = timezone.datetime(2026, 11, 21, 9, 0, tzinfo=timezone.UTC)
