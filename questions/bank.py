"""Reading and writing blueprints and question banks as YAML files.

The format is documented in docs/question-format.md. Validation is the models' own
(`Question.clean`, `Question.clean_options`), so a file and the admin accept the same things.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from questions import kinds
from questions.models import Objective, Option, Question
from questions.yamlfiles import FileRefused, read_documents

QUESTION_FIELDS = {"key", "objective", "type", "status", "difficulty", "stem", "options",
                   "explanation", "references"}  # fmt: skip
REQUIRED_FIELDS = ("key", "objective", "type", "stem", "options")


@dataclass(frozen=True)
class BankError:
    file: str
    key: str
    field: str
    message: str

    def __str__(self):
        return f"{self.file}: {self.key}: {self.field}: {self.message}"


class BankImportError(Exception):
    def __init__(self, errors: list[BankError]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s)")


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the .yaml/.yml files inside given folders, in name order."""
    found = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.suffix in (".yaml", ".yml"))
        else:
            found.append(p)
    return found


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _code(value: Any) -> str:
    # YAML reads an unquoted 1.2 as a float; accept it, as an author would expect.
    return repr(value) if isinstance(value, float) else _text(value)


@dataclass
class _Parsed:
    question: Question
    options: list[tuple[str, bool]]
    is_new: bool
    changed: bool


def _option_pairs(kind: str, raw: Any) -> list[tuple[str, bool]] | None:
    """The options in the shape the question's kind reads from files."""
    if kind not in dict(kinds.choices()):
        kind = "single"  # the kind itself is reported by the model's own validation
    return kinds.get(kind).read_options(raw)


def prepare(
    key: str, values: dict[str, Any], options: list[tuple[str, bool]], old: Question | None
) -> tuple[_Parsed, list[tuple[str, str]]]:
    """A question set to ``values`` and validated as the admin does: (parsed, [(field, message)]).

    ``old`` is the stored question with this key, if any (its options prefetched); fields
    not in ``values`` keep what is stored. Every format's import goes through here.
    """
    question = old or Question(key=key)
    changed = old is None or any(getattr(old, k) != v for k, v in values.items())
    if old is not None:
        old_options = [(o.text, o.is_correct) for o in old.options.all()]
        changed = changed or old_options != options
    for k, v in values.items():
        setattr(question, k, v)
    if old is not None and changed:
        question.version = old.version + 1
    problems = []
    try:
        question.full_clean(validate_unique=old is None)
    except ValidationError as e:
        problems += [(f, m) for f, messages in e.message_dict.items() for m in messages]
    try:
        question.clean_options(options)
    except ValidationError as e:
        problems += [("options", m) for m in e.message_dict["options"]]
    return _Parsed(question, options, is_new=old is None, changed=changed), problems


def parse_bank(paths: Iterable[str | Path]) -> list[_Parsed]:
    """Read and validate every question in ``paths``; raise BankImportError listing all errors."""
    errors: list[BankError] = []
    entries: list[tuple[str, str, dict]] = []  # (file, exam code, question)
    for path in expand_paths(paths):
        name = str(path)
        try:
            docs = read_documents(path)
        except FileRefused as e:
            errors.append(BankError(name, "-", "file", e.reason))
            continue
        for doc in docs:
            if doc is None:
                continue
            if (
                not isinstance(doc, dict)
                or not isinstance(doc.get("questions"), list)
                or set(doc) - {"exam", "questions"}
            ):
                errors.append(
                    BankError(name, "-", "file", "Expected a mapping of 'exam' and 'questions'.")
                )
                continue
            for i, q in enumerate(doc["questions"], start=1):
                if not isinstance(q, dict):
                    errors.append(BankError(name, f"#{i}", "-", "A question must be a mapping."))
                    continue
                entries.append((name, _text(doc.get("exam")), q))

    keys = [_text(q.get("key")) for _, _, q in entries]
    existing = {
        q.key: q for q in Question.objects.filter(key__in=keys).prefetch_related("options")
    }
    objectives = {
        (o.domain.exam.code, o.code): o for o in Objective.objects.select_related("domain__exam")
    }

    parsed: list[_Parsed] = []
    seen: dict[str, str] = {}
    for name, exam_code, q in entries:
        key = _text(q.get("key")) or "-"

        def err(fld: str, msg: str, name=name, key=key) -> None:
            errors.append(BankError(name, key, fld, msg))

        for f in sorted(set(q) - QUESTION_FIELDS):
            err(f, "Unknown field.")
        missing = [f for f in REQUIRED_FIELDS if q.get(f) in (None, "", [])]
        for f in missing:
            err(f, "This field is required.")
        if key in seen:
            err("key", f"Key used twice (also in {seen[key]}).")
        seen.setdefault(key, name)
        if missing:
            continue

        objective = objectives.get((exam_code, _code(q["objective"])))
        if objective is None:
            err("objective", f"No objective {_code(q['objective'])} in exam {exam_code!r}.")
            continue
        options = _option_pairs(_text(q["type"]), q["options"])
        if options is None:
            err("options", "Options must be a list of {text, correct} mappings.")
            continue
        references = q.get("references") or []
        if isinstance(references, str):
            references = [references]

        values = {
            "objective": objective,
            "type": _text(q["type"]),
            "status": _text(q.get("status")) or Question.Status.DRAFT,
            "difficulty": _text(q.get("difficulty")),
            "stem": _text(q["stem"]),
            "explanation": _text(q.get("explanation")),
            "references": references,
        }
        p, problems = prepare(key, values, options, existing.get(key))
        for f, m in problems:
            err(f, m)
        parsed.append(p)

    if errors:
        raise BankImportError(errors)
    return parsed


def import_bank(paths: Iterable[str | Path], keep_existing: bool = False) -> ImportResult:
    """Create or update the questions in ``paths``, all or nothing. Never deletes.

    With ``keep_existing``, questions already here are left as they are even where the
    files differ: a server loading the bundled bank at every start must not undo what
    its authors changed in the admin.
    """
    return save(parse_bank(paths), keep_existing=keep_existing)


def save(parsed: list[_Parsed], keep_existing: bool = False) -> ImportResult:
    """Write validated questions in one transaction; unchanged ones are not touched."""
    result = ImportResult()
    with transaction.atomic():
        for p in parsed:
            if not p.changed:
                result.unchanged.append(p.question.key)
                continue
            if keep_existing and not p.is_new:
                result.kept.append(p.question.key)
                continue
            p.question.save()
            save_options(p.question, p.options, is_new=p.is_new)
            (result.created if p.is_new else result.updated).append(p.question.key)
    return result


def save_options(question: Question, options: list[tuple[str, bool]], is_new: bool) -> None:
    """Give ``question`` exactly ``options``, in order, keeping the identity of each option
    whose text and correctness are unchanged, so statistics and review schedules keyed on
    option ids survive a re-import; an edited option is a new option."""
    old = {} if is_new else {(o.text, o.is_correct): o for o in question.options.all()}
    create, reorder = [], []
    for i, (text, correct) in enumerate(options):
        kept = old.pop((text, correct), None)
        if kept is None:
            create.append(Option(question=question, text=text, is_correct=correct, order=i))
        elif kept.order != i:
            kept.order = i
            reorder.append(kept)
    if old:
        Option.objects.filter(pk__in=[o.pk for o in old.values()]).delete()
    Option.objects.bulk_update(reorder, ["order"])
    Option.objects.bulk_create(create)


class _BankDumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BankDumper.add_representer(str, _represent_str)


def question_to_dict(q: Question) -> dict:
    data = {
        "key": q.key,
        "objective": q.objective.code,
        "type": q.type,
        "status": q.status,
        **({"difficulty": q.difficulty} if q.difficulty else {}),
        "stem": q.stem,
        "options": q.kind.write_options([(o.text, o.is_correct) for o in q.options.all()]),
        "explanation": q.explanation,
    }
    if q.references:
        data["references"] = list(q.references)
    return data


def export_bank(questions) -> str:
    """YAML for ``questions``: one document per exam, questions in key order."""
    questions = questions.select_related("objective__domain__exam").prefetch_related("options")
    by_exam: dict[str, list[dict]] = {}
    for q in questions.order_by("objective__domain__exam__code", "key"):
        by_exam.setdefault(q.objective.domain.exam.code, []).append(question_to_dict(q))
    docs = [{"exam": code, "questions": qs} for code, qs in by_exam.items()]
    return yaml.dump_all(docs, Dumper=_BankDumper, sort_keys=False, allow_unicode=True, width=100)
