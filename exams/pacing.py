"""Pacing rules, each once: where the gates are, when each should be reached, and when the
clock warns. Templates and the page's script read them from here, through the server."""

from datetime import timedelta

from questions.blueprint import gate_positions

# The clock is shown to everyone in the last quarter hour, and warnings go out then.
CLOCK_WARNINGS = (timedelta(minutes=15), timedelta(minutes=5))

__all__ = ["CLOCK_WARNINGS", "gate_positions", "gate_target", "warning_seconds"]


def gate_target(duration: timedelta, gates: list[int], segments: int, position: int):
    """Elapsed time by which the gate at ``position`` should be reached, or None."""
    if position not in gates:
        return None
    return duration * (gates.index(position) + 1) / segments


def warning_seconds() -> list[int]:
    return [int(w.total_seconds()) for w in CLOCK_WARNINGS]
