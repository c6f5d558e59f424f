import re
from datetime import timedelta

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe

from exams import pacing

register = template.Library()


@register.filter
def mmss(value) -> str:
    """Seconds or a timedelta as minutes:seconds, e.g. 180:00 or 4:05; never negative."""
    if value is None or value == "":
        return ""
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.filter
def paragraphs(text: str, tag: str = "p"):
    """Paragraphs from text whose lines were wrapped by its author (as YAML files are).

    A blank line starts a paragraph; single line breaks are joined, so a stem reads as
    prose at any width. ``tag`` is ``span`` inside elements that may not hold a <p>.
    """
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return format_html_join("", f'<{tag} class="para">{{}}</{tag}>', ((p,) for p in paras))


@register.filter
def minutes(value: timedelta) -> int:
    """A duration in whole minutes, at least 1, for messages like "wait 15 minutes"."""
    return max(1, round(value.total_seconds() / 60))


@register.simple_tag
def clock_warnings() -> str:
    """The warning thresholds in seconds, largest first, for the page's script."""
    return ",".join(str(s) for s in pacing.warning_seconds())


@register.filter
def clock_alert(seconds_left) -> str:
    """What a screen reader is told when the page loads inside a warning window."""
    passed = [s for s in pacing.warning_seconds() if int(seconds_left) <= s]
    if not passed:
        return ""
    return f"{min(passed) // 60} minutes or less left."


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or None: for dicts keyed by values the template already has."""
    return mapping.get(key) if mapping else None


_STATE_MARKS = {"answered": "✓", "incomplete": "◐"}


@register.simple_tag
def nav_item(entry, current: int, oob: bool = False) -> str:
    """One entry of the question navigator: a button of the answer form, so that without
    JavaScript it saves the answer on the way to question n.

    Built here rather than in the template: a page has up to 130 entries, and template
    logic per entry was most of the page's render time.
    """
    n, flagged = int(entry.position), entry.flagged
    state = conditional_escape(entry.state)
    classes, label, marks, extra = state, f"Question {n}, {state}", "", ""
    if mark := _STATE_MARKS.get(entry.state):
        marks = f'<span aria-hidden="true">{mark}</span>'
    if flagged:
        classes += " flagged"
        label += ", flagged"
        marks += '<span aria-hidden="true">⚑</span>'
    if n == current:
        classes += " current"
        extra = ' aria-current="page"'
    swap = ' hx-swap-oob="true"' if oob else ""
    # Numbers, fixed words and an escaped state only.
    return mark_safe(
        f'<li id="nav-{n}"{swap}><button form="answer-form" name="go" value="{n}" '
        f'class="{classes}"{extra} aria-label="{label}">{n}{marks}</button></li>'
    )
