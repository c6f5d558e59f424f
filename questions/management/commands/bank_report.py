from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.template.loader import render_to_string

from questions import bankcheck
from questions.models import Exam, Objective, Question


def question_dicts(exam: Exam) -> list[dict]:
    """The exam's active questions in the shape bank files have, for questions.bankcheck."""
    questions = Question.objects.active().for_exam(exam).prefetch_related("options")
    return [
        {
            "key": q.key,
            "type": q.type,
            "stem": q.stem,
            "options": [{"text": o.text, "correct": o.is_correct} for o in q.options.all()],
        }
        for q in questions
    ]


def exam_report(exam: Exam) -> dict:
    active = Q(questions__status=Question.Status.ACTIVE)
    objectives = list(
        Objective.objects.filter(domain__exam=exam)
        .select_related("domain")
        .annotate(active=Count("questions", filter=active))
        .annotate(multiple=Count("questions", filter=active & Q(questions__type="multiple")))
        .annotate(
            **{
                level: Count("questions", filter=active & Q(questions__difficulty=level))
                for level in Question.Difficulty.values
            }
        )
        .order_by("domain__number", "code")
    )
    domains = []
    for domain, needed in exam.domain_counts().items():
        mine = [o for o in objectives if o.domain_id == domain.pk]
        row = {"domain": domain, "per_exam": needed, "objectives": mine}
        for field in ("active", "multiple", *Question.Difficulty.values):
            row[field] = sum(getattr(o, field) for o in mine)
        row["harder_percent"] = (
            round(100 * (row["medium"] + row["hard"]) / row["active"]) if row["active"] else 0
        )
        domains.append(row)
    total = sum(d["active"] for d in domains)
    multiple = sum(d["multiple"] for d in domains)
    questions = question_dicts(exam)
    cues = bankcheck.length_cues(questions) if questions else None
    return {
        "exam": exam,
        "domains": domains,
        "total": total,
        "multiple": multiple,
        "multiple_percent": round(100 * multiple / total) if total else 0,
        "difficulty": {
            level: sum(d[level] for d in domains) for level in Question.Difficulty.values
        },
        "harder_percent": round(100 * sum(d["medium"] + d["hard"] for d in domains) / total)
        if total
        else 0,
        "full_exams": min(
            (d["active"] // d["per_exam"] for d in domains if d["per_exam"]), default=0
        ),
        "cues": bankcheck.describe(cues) if cues else [],
        "cue_problems": cues.problems() if cues else [],
        "near_duplicates": len(bankcheck.near_duplicates(questions)),
    }


class Command(BaseCommand):
    help = (
        "Write docs/question-bank.md: each bank's counts per domain and objective, its "
        "difficulty mix and length-cue figures, and the rules for authors."
    )

    def add_arguments(self, parser):
        parser.add_argument("--exam", action="append", help="an exam's code (default: all banks)")
        parser.add_argument("-o", "--output", help="write to this file instead of standard output")

    def handle(self, *args, **options):
        exams = Exam.objects.banks().order_by("code")
        if options["exam"]:
            exams = exams.filter(code__in=options["exam"])
            missing = set(options["exam"]) - {e.code for e in exams}
            if missing:
                raise CommandError(f"No exam with code {', '.join(sorted(missing))}.")
        reports = [exam_report(exam) for exam in exams if exam.questions_count()]
        text = render_to_string("questions/question-bank.md", {"reports": reports})
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as f:
                f.write(text)
        else:
            self.stdout.write(text, ending="")
