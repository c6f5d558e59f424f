from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.template.loader import render_to_string

from questions.models import Exam, Objective, Question


class Command(BaseCommand):
    help = (
        "Write docs/question-bank.md: the bank's counts per domain and objective, and its rules."
    )

    def add_arguments(self, parser):
        parser.add_argument("--exam", default="MLS-C01")
        parser.add_argument("-o", "--output", help="write to this file instead of standard output")

    def handle(self, *args, **options):
        exam = Exam.objects.filter(code=options["exam"]).first()
        if exam is None:
            raise CommandError(f"No exam with code {options['exam']!r}.")
        active = Q(questions__status=Question.Status.ACTIVE)
        multiple = active & Q(questions__type="multiple")
        objectives = list(
            Objective.objects.filter(domain__exam=exam)
            .select_related("domain")
            .annotate(active=Count("questions", filter=active))
            .annotate(multiple=Count("questions", filter=multiple))
            .order_by("domain__number", "code")
        )
        domains = []
        for domain, needed in exam.domain_counts().items():
            mine = [o for o in objectives if o.domain_id == domain.pk]
            domains.append(
                {
                    "domain": domain,
                    "per_exam": needed,
                    "objectives": mine,
                    "active": sum(o.active for o in mine),
                    "multiple": sum(o.multiple for o in mine),
                }
            )
        total = sum(d["active"] for d in domains)
        multiple_total = sum(d["multiple"] for d in domains)
        text = render_to_string(
            "questions/question-bank.md",
            {
                "exam": exam,
                "domains": domains,
                "total": total,
                "multiple": multiple_total,
                "multiple_percent": round(100 * multiple_total / total) if total else 0,
                "full_exams": min(
                    (d["active"] // d["per_exam"] for d in domains if d["per_exam"]), default=0
                ),
            },
        )
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as f:
                f.write(text)
        else:
            self.stdout.write(text, ending="")
