"""Kinds of sitting. A mode decides what the engine does differently, and nothing else does.

An exam is today's mock: drawn by the blueprint, shown first as instructions whose Begin
starts the clock, on the clock with pacing gates, keys
revealed only at the end, a scaled score and pass/fail that count in trends. A practice
sitting is chosen by the candidate (domains, objectives, a list of questions), may have a
clock or none, has no gates, may reveal each answer once confirmed, and reports a raw
score that never enters the exam trend. A new mode is a new entry here.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Mode:
    name: str
    label: str
    # Pacing gates and the checkpoint box.
    gates: bool
    # A scaled score with pass/fail, or a raw share correct.
    scaled: bool
    # Counts in score trends and readiness (abandoned attempts never do).
    counts_in_trends: bool
    # At most one open at a time per candidate and exam, enforced by the database.
    one_open_per_exam: bool
    # Keys of other attempts are hidden while one of these is open.
    exam_conditions: bool
    # Start shows the sitting's instructions; the clock starts when the candidate presses
    # Begin. Without it a sitting is begun as it starts.
    instructions: bool


EXAM = Mode("exam", "Mock exam", gates=True, scaled=True, counts_in_trends=True,
            one_open_per_exam=True, exam_conditions=True, instructions=True)  # fmt: skip
PRACTICE = Mode("practice", "Practice", gates=False, scaled=False, counts_in_trends=False,
                one_open_per_exam=False, exam_conditions=False, instructions=False)  # fmt: skip

REVIEW = Mode("review", "Spaced review", gates=False, scaled=False, counts_in_trends=False,
              one_open_per_exam=False, exam_conditions=False, instructions=False)  # fmt: skip

MODES = {m.name: m for m in (EXAM, PRACTICE, REVIEW)}


def choices() -> list[tuple[str, str]]:
    return [(m.name, m.label) for m in MODES.values()]


def get(name: str) -> Mode:
    return MODES[name]
