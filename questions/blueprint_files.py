"""Blueprint files: an exam's shape (count, time, scale, pacing) and its domains and objectives.

Every document is checked whole before anything is written, and a file that breaks a rule
is refused with one line per problem naming the file.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from questions.bank import expand_paths
from questions.models import Domain, Exam, Objective, Question
from questions.yamlfiles import FileRefused, read_documents

EXAM_FIELDS = {
    "code": str, "name": str, "question_count": int, "duration_minutes": int,
    "extra_time_minutes": int, "score_min": int, "score_max": int, "passing_score": int,
    "pacing_segments": int, "description": str, "domains": list, "form_of": str,
    "status_note": str, "unscored_count": int, "single_min_options": int,
    "multiple_min_options": int,
}  # fmt: skip
EXAM_REQUIRED = ("code", "name", "question_count", "duration_minutes", "passing_score")
DOMAIN_FIELDS = {"number": int, "name": str, "weight": int, "objectives": list}
OBJECTIVE_FIELDS = {"code": (str, float), "title": str}


class BlueprintError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s)")


def _code(value: Any) -> str:
    # YAML reads an unquoted 1.2 as a float; accept it, as an author would expect.
    return repr(value) if isinstance(value, float) else str(value).strip()


def _check(where: str, data: Any, fields: dict, required: Iterable[str]) -> list[str]:
    if not isinstance(data, dict):
        return [f"{where}: expected a mapping"]
    errors = [f"{where}: {k}: unknown field" for k in sorted(set(data) - set(fields), key=str)]
    errors += [f"{where}: {k}: this field is required" for k in required if k not in data]
    for key, kind in fields.items():
        value = data.get(key)
        if key in data and (not isinstance(value, kind) or isinstance(value, bool)):
            errors.append(f"{where}: {key}: has the wrong type")
    return errors


def validate(doc: Any, name: str) -> list[str]:
    """Every problem with one blueprint document; none means it can be loaded."""
    errors = _check(name, doc, EXAM_FIELDS, EXAM_REQUIRED)
    if errors:
        return errors
    where = f"{name}: {doc['code']}"
    # A form draws from its exam's domains; an exam with a bank must list its own.
    if "form_of" in doc and "domains" in doc:
        return [f"{where}: domains: a form takes its exam's domains; remove them"]
    if "form_of" not in doc and "domains" not in doc:
        return [f"{where}: domains: this field is required"]
    if "form_of" in doc:
        exam = Exam(code=doc["code"], **_fields(doc))
        try:
            exam.full_clean(validate_unique=False, exclude=["form_of"])
        except ValidationError as e:
            errors += [f"{where}: {f}: {m}" for f, ms in e.message_dict.items() for m in ms]
        return errors
    exam = Exam(code=doc["code"], **_fields(doc))
    try:
        exam.full_clean(validate_unique=False)
    except ValidationError as e:
        errors += [f"{where}: {f}: {m}" for f, ms in e.message_dict.items() for m in ms]
    numbers, codes = set(), set()
    for i, d in enumerate(doc["domains"], start=1):
        d_where = f"{where}: domain #{i}"
        problems = _check(d_where, d, DOMAIN_FIELDS, DOMAIN_FIELDS)
        errors += problems
        if problems:
            continue
        if d["number"] in numbers:
            errors.append(f"{d_where}: number {d['number']} is used twice")
        numbers.add(d["number"])
        for j, o in enumerate(d["objectives"], start=1):
            o_where = f"{d_where}: objective #{j}"
            problems = _check(o_where, o, OBJECTIVE_FIELDS, OBJECTIVE_FIELDS)
            errors += problems
            if not problems:
                if _code(o["code"]) in codes:
                    errors.append(f"{o_where}: code {_code(o['code'])} is used twice")
                codes.add(_code(o["code"]))
    total = sum(d["weight"] for d in doc["domains"]) if not errors else 100
    if total != 100:
        errors.append(f"{where}: domain weights add up to {total}, not 100")
    return errors


def _fields(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in ("code", "domains", "form_of")}


def load_blueprints(paths: Iterable[str | Path], update: bool = False) -> list[str]:
    """Create the exams described in ``paths``; with ``update``, overwrite existing ones.

    Without ``update``, what exists is left as it is, so loading on every start keeps
    the edits made in the admin. Returns a line per exam saying what was done; raises
    BlueprintError, writing nothing, when any file breaks a rule.
    """
    docs, errors = [], []
    for path in expand_paths(paths):
        try:
            found = [d for d in read_documents(path) if d is not None]
        except FileRefused as e:
            errors.append(str(e))
            continue
        for doc in found:
            problems = validate(doc, str(path))
            errors += problems
            if not problems:
                docs.append(doc)
    if errors:
        raise BlueprintError(errors)
    # Exams with a bank first, so the forms that draw from them find them.
    docs.sort(key=lambda d: "form_of" in d)
    with transaction.atomic():
        report = []
        for doc in docs:
            problem = _missing_bank(doc)
            if problem:
                raise BlueprintError([problem])
            report.append(_load(doc, update))
            report += shortfalls(Exam.objects.get(code=doc["code"]))
        return report


def _missing_bank(doc: dict) -> str:
    if "form_of" not in doc:
        return ""
    bank = Exam.objects.filter(code=doc["form_of"]).first()
    if bank is None:
        return f"{doc['code']}: form_of: no exam {doc['form_of']!r} (load its blueprint first)"
    if bank.is_form:
        return f"{doc['code']}: form_of: {bank.code} is itself a form; name the exam it draws from"
    return ""


def shortfalls(exam: Exam) -> list[str]:
    """Lines naming the domains whose active questions cannot fill one sitting of ``exam``."""
    if not exam.questions_count():
        return []  # the bank is loaded after the blueprints; nothing to compare yet
    counts = exam.domain_counts()
    have = dict(
        Question.objects.active()
        .filter(objective__domain__in=list(counts))
        .values_list("objective__domain")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        f"{exam.code}: short: domain {d.number} needs {needed} active questions, "
        f"the bank has {have.get(d.pk, 0)}"
        for d, needed in counts.items()
        if have.get(d.pk, 0) < needed
    ]


def _load(doc: dict, update: bool) -> str:
    fields = _fields(doc)
    if "form_of" in doc:
        fields["form_of"] = Exam.objects.get(code=doc["form_of"])
    exam = Exam.objects.filter(code=doc["code"]).first()
    created = 0
    if exam is None:
        exam = Exam(code=doc["code"], **fields)
        created += 1
    elif update:
        for k, v in fields.items():
            setattr(exam, k, v)
    if exam._state.adding or update:
        exam.full_clean()
        exam.save()
    for d in doc.get("domains", []):
        domain = Domain.objects.filter(exam=exam, number=d["number"]).first()
        if domain is None or update:
            domain, made = Domain.objects.update_or_create(
                exam=exam, number=d["number"], defaults={"name": d["name"], "weight": d["weight"]}
            )
            created += made
        for o in d["objectives"]:
            code = _code(o["code"])
            if update or not Objective.objects.filter(domain__exam=exam, code=code).exists():
                _, made = Objective.objects.update_or_create(
                    domain=domain, code=code, defaults={"title": o["title"]}
                )
                created += made
    verb = "updated" if update else "loaded"
    return f"{exam.code}: {verb}, {created} new row(s)"
