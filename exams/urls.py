from django.urls import path

from exams.views import begin, problems, readiness, results, taking

app_name = "exams"

urlpatterns = [
    path("start/", taking.start, name="start"),
    path("attempts/<uuid:code>/", taking.resume, name="resume"),
    path("attempts/<uuid:code>/begin/", begin.begin, name="begin"),
    path("attempts/<uuid:code>/q/<int:position>/", taking.question, name="question"),
    path("attempts/<uuid:code>/review/", taking.review, name="review"),
    path("attempts/<uuid:code>/submit/", taking.submit, name="submit"),
    path("attempts/<uuid:code>/abandon/", taking.abandon, name="abandon"),
    path("attempts/<uuid:code>/results/", results.results, name="results"),
    path("attempts/<uuid:code>/results/questions/", results.answers, name="answers"),
    path(
        "attempts/<uuid:code>/results/questions/<int:position>/report/",
        problems.report_problem,
        name="report_problem",
    ),
    path("exams/<str:code>/readiness/", readiness.readiness, name="readiness"),
    path("history/", results.history, name="history"),
]
