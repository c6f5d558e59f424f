"""From neutral items to questions: objectives, per-question verdicts, one transaction.

Validation is bank.prepare, the YAML import's own, which runs the models' full_clean and
clean_options: every format accepts exactly what the admin and YAML accept. A question
that fails it is skipped with the reason; a category with no objective is an error that
stops the whole import, because guessing an objective would file questions wrongly.
"""

import re
from dataclasses import dataclass, field

from questions.bank import ImportResult, _Parsed, prepare, save
from questions.interchange.schema import Item, Reading, Skip
from questions.models import Objective, Question

ACTIONS = ("create", "update", "unchanged", "skip")
_ROOTS = re.compile(r"^(\$(course|cat\d*|system|module|coursecategory)\$/)?(top/)?", re.I)


def category_name(raw: str) -> str:
    """A category as mapped: Moodle's context prefix ($course$/top/) and outer slashes dropped."""
    return _ROOTS.sub("", raw.strip().strip("/")).strip("/").strip()


def parse_map_lines(lines) -> dict[str, str]:
    """CATEGORY=OBJECTIVE lines (a map file, or --map values); # starts a comment line."""
    mapping = {}
    for n, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ValueError(f"line {n}: expected CATEGORY=OBJECTIVE, got {line!r}")
        # Objectives hold no '=', so the last one separates: categories may contain one.
        category, objective = line.rsplit("=", 1)
        mapping[category_name(category)] = objective.strip()
    return mapping


@dataclass
class Options:
    exam: str = ""  # exam code that bare objective codes belong to
    objective: str = ""  # every question goes here unless --map says otherwise
    categories: dict[str, str] = field(default_factory=dict)
    active: bool = False  # activate questions that carry an explanation


@dataclass
class Verdict:
    file: str
    where: str
    name: str
    key: str
    action: str  # one of ACTIONS
    reason: str = ""
    objective: str = ""

    def __str__(self):
        name = f" ({self.name})" if self.name else ""
        reason = f": {self.reason}" if self.reason else ""
        return f"{self.file}: {self.where}{name}: {self.key or '-'}: {self.action}{reason}"


@dataclass
class Plan:
    verdicts: list[Verdict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    accepted: list[_Parsed] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for v in self.verdicts if v.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in ACTIONS}

    def summary(self) -> str:
        c = self.counts
        return (
            f"{c['create']} to create, {c['update']} to update, {c['unchanged']} unchanged, "
            f"{c['skip']} skipped."
        )


class _Objectives:
    def __init__(self, exam: str):
        self.exam = exam
        self.all = list(Objective.objects.select_related("domain__exam"))

    def find(self, spec: str) -> tuple[Objective | None, str]:
        """EXAM/CODE, or a bare CODE within --exam (or in the one exam that has it)."""
        exam, _, code = spec.strip().rpartition("/")
        exam = exam or self.exam
        found = [o for o in self.all if o.code == code and exam in ("", o.domain.exam.code)]
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, f"objective {code!r} is in several exams; name one with --exam"
        where = f" in exam {exam!r}" if exam else ""
        return None, f"no objective {code!r}{where}"


def plan(reading: Reading, options: Options) -> Plan:
    """What importing ``reading`` would do, question by question; writes nothing."""
    result = Plan()
    objectives = _Objectives(options.exam)
    for spec in filter(None, [options.exam]):
        if not any(o.domain.exam.code == spec for o in objectives.all):
            result.errors.append(f"No exam with code {spec!r}.")
    targets: dict[str, tuple[Objective | None, str]] = {}

    def objective_for(item: Item) -> tuple[Objective | None, str]:
        category = category_name(item.category)
        if category in options.categories:
            spec = options.categories[category]
        elif options.objective:
            spec = options.objective
        elif re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*/[^/]+", category):
            # EXAM/OBJECTIVE, as examsite's own exports name categories: exact or error.
            spec = category
        else:
            what = f"category {category!r}" if category else "questions with no category"
            hint = f"--map '{category}=OBJECTIVE'" if category else "--objective"
            return None, f"{what} is not mapped to an objective (use {hint} or --objective)"
        if spec not in targets:
            targets[spec] = objectives.find(spec)
        found, problem = targets[spec]
        return found, (f"{problem} (for {category!r})" if problem and category else problem)

    existing = {
        q.key: q
        for q in Question.objects.filter(key__in=[i.key for i in reading.items]).prefetch_related(
            "options"
        )
    }
    seen: dict[str, Item] = {}
    for item in reading.entries:
        if isinstance(item, Skip):
            skipped = Verdict(item.file, item.where, item.name, "", "skip", item.reason)
            result.verdicts.append(skipped)
            continue
        verdict = Verdict(item.file, item.where, item.name, item.key, "skip")
        result.verdicts.append(verdict)
        objective, problem = objective_for(item)
        if objective is None:
            if problem not in result.errors:
                result.errors.append(problem)
            verdict.reason = problem
            continue
        verdict.objective = f"{objective.domain.exam.code} {objective.code}"
        if item.key in seen:
            first = seen[item.key]
            verdict.reason = f"key {item.key} is used by an earlier question ({first.where})"
            continue
        seen[item.key] = item
        old = existing.get(item.key)
        values = {
            "objective": objective,
            "type": item.kind,
            "stem": item.stem,
            "explanation": item.explanation,
            "status": _status(item, old, options),
        }
        if item.references is not None:
            values["references"] = item.references
        if item.difficulty is not None:
            values["difficulty"] = item.difficulty
        parsed, problems = prepare(item.key, values, item.options, old)
        if problems:
            verdict.reason = "; ".join(f"{f}: {m}" for f, m in problems)
            continue
        result.accepted.append(parsed)
        verdict.action = "create" if parsed.is_new else "update" if parsed.changed else "unchanged"
    return result


def _status(item: Item, old: Question | None, options: Options) -> str:
    """Drafts by default; --active activates questions that carry an explanation.

    A question already here keeps its status (an author may have activated or retired
    it since), so importing the same file again changes nothing.
    """
    if item.status is not None:
        return item.status
    if options.active and item.explanation.strip():
        return Question.Status.ACTIVE
    return old.status if old is not None else Question.Status.DRAFT


class PlanHasErrors(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def apply(result: Plan) -> ImportResult:
    """Write every accepted question of ``result`` in one transaction; nothing if it has errors."""
    if result.errors:
        raise PlanHasErrors(result.errors)
    return save(result.accepted)


__all__ = ["Options", "Plan", "PlanHasErrors", "Skip", "Verdict", "apply", "plan"]


def for_export(questions) -> list[tuple[str, Question]]:
    """(category, question) in exam, objective and key order; the category is EXAM/OBJECTIVE."""
    questions = questions.select_related("objective__domain__exam").prefetch_related("options")
    ordered = questions.order_by("objective__domain__exam__code", "objective__code", "key")
    return [(f"{q.objective.domain.exam.code}/{q.objective.code}", q) for q in ordered]


def weight(correct: int) -> str:
    """One correct option's share in percent, as GIFT and Moodle write it (33.33333)."""
    return f"{100 / correct:.5f}".rstrip("0").rstrip(".")
