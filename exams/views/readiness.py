"""The candidate's readiness for an exam: the chance of passing a fresh mock of it."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from exams import services
from questions.models import Exam
from readiness.forecast import pass_forecast


@login_required
@require_safe
def readiness(request, code):
    exam = get_object_or_404(Exam.objects.select_related("form_of"), code=code[:32])
    # A mock past its deadline counts as soon as it is scored, so score it first.
    services.finalize_expired(user=request.user)
    bank = exam.bank
    ctx = {
        "exam": exam,
        "forecast": pass_forecast(request.user, exam),
        "forms": Exam.objects.filter(Q(pk=bank.pk) | Q(form_of=bank)).order_by("code"),
    }
    return render(request, "exams/readiness.html", ctx)
