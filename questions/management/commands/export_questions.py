from django.core.management.base import BaseCommand, CommandError

from questions import interchange
from questions.bank import export_bank
from questions.models import Exam, Question


class Command(BaseCommand):
    help = (
        "Export questions as YAML, GIFT, Moodle XML, Aiken or a QTI 2.1 package, "
        "to standard output or a file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--exam", help="only this exam's questions (its code)")
        parser.add_argument("--objective", help="only this objective's questions, such as 3.2")
        parser.add_argument("--format", choices=["yaml", *interchange.names()], default="yaml")
        parser.add_argument("-o", "--output", help="write to this file instead")

    def handle(self, *args, **options):
        questions = Question.objects.all()
        if code := options["exam"]:
            if not Exam.objects.filter(code=code).exists():
                raise CommandError(f"No exam with code {code!r}.")
            questions = questions.filter(objective__domain__exam__code=code)
        if code := options["objective"]:
            questions = questions.filter(objective__code=code)
            if not questions.exists():
                raise CommandError(f"No questions for objective {code!r}.")
        fmt, path = options["format"], options["output"]
        if fmt == "yaml":
            data, skipped = export_bank(questions).encode(), []
        else:
            if fmt == "qti" and not path:
                raise CommandError("A QTI package is a zip file: give -o FILE.zip.")
            written = interchange.get(fmt).write(questions)
            data, skipped = written.data, written.skipped
        for key, reason in skipped:
            self.stderr.write(f"{key}: not exported: {reason}")
        if path:
            with open(path, "wb") as f:
                f.write(data)
            count = questions.count() - len(skipped)
            self.stderr.write(f"Wrote {count} question(s) to {path}.")
        else:
            self.stdout.write(data.decode(), ending="")
