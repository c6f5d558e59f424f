from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def mmss(value) -> str:
    """Seconds or a timedelta as minutes:seconds, e.g. 180:00 or 4:05; never negative."""
    if value is None or value == "":
        return ""
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"
