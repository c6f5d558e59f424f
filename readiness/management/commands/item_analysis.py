from django.core.management.base import BaseCommand, CommandError

from questions.models import Exam
from readiness.items import Thresholds, item_analysis


def _pct(value: float) -> str:
    return f"{round(100 * value):>3}%"


class Command(BaseCommand):
    help = (
        "Per-question statistics from finished attempts: answers, facility, corrected "
        "point-biserial discrimination, median time, answer changes by direction, and "
        "flags (probable miskey, negative discrimination, too easy, too hard)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--exam", metavar="CODE", help="Only this exam's questions.")
        parser.add_argument(
            "--flagged", action="store_true", help="Only questions with at least one flag."
        )
        parser.add_argument(
            "--min-answers",
            type=int,
            default=Thresholds.min_answers,
            help="Answers a question needs before it can be flagged (default %(default)s).",
        )
        parser.add_argument(
            "--options", action="store_true", help="Also show each option's choice shares."
        )

    def handle(self, *args, exam=None, flagged=False, min_answers=20, options=False, **kw):
        if exam and not Exam.objects.filter(code=exam).exists():
            raise CommandError(f"No exam with code {exam!r}.")
        stats = item_analysis(exam, Thresholds(min_answers=min_answers))
        if flagged:
            stats = [s for s in stats if s.flags]
        key_width = max([len(s.key) for s in stats] + [8])
        header = (
            f"{'Question':<{key_width}}  Exam      Answers  Facility  Discr.  Median s  "
            "Changes (W→R R→W W→W)  Flags"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for s in stats:
            disc = "   —  " if s.discrimination is None else f"{s.discrimination:+.2f} "
            secs = "     —" if s.median_seconds is None else f"{s.median_seconds:6.0f}"
            c = s.changes
            moved = f"{c.total:>7} ({c.wrong_to_right:>3} {c.right_to_wrong:>3} "
            moved += f"{c.wrong_to_wrong:>3})"
            # A pilot (unscored) question is marked, so a flag on it reads as a trial's.
            flags = ", ".join(s.flags + ([] if s.scored else ["unscored (pilot)"]))
            self.stdout.write(
                f"{s.key:<{key_width}}  {s.exam:<8}  {s.answers:>7}  {_pct(s.facility):>8}  "
                f"{disc:>6}  {secs:>8}  {moved:<21}  {flags}"
            )
            if options:
                for o in s.options:
                    mark = "*" if o.correct else " "
                    self.stdout.write(
                        f"    {mark} {o.text[:60]:<60}  all {_pct(o.share)}  "
                        f"lower {_pct(o.lower)}  upper {_pct(o.upper)}"
                    )
        flagged_count = sum(1 for s in stats if s.flags)
        self.stdout.write(f"{len(stats)} question(s), {flagged_count} flagged.")
