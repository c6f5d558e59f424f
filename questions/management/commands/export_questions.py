from django.core.management.base import BaseCommand, CommandError

from questions.bank import export_bank
from questions.models import Exam, Question


class Command(BaseCommand):
    help = "Export questions as a bank file (YAML), to standard output or a file."

    def add_arguments(self, parser):
        parser.add_argument("--exam", help="only this exam's questions (its code)")
        parser.add_argument("--objective", help="only this objective's questions, such as 3.2")
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
        text = export_bank(questions)
        if path := options["output"]:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            self.stderr.write(f"Wrote {questions.count()} question(s) to {path}.")
        else:
            self.stdout.write(text, ending="")
