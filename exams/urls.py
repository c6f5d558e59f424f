from django.urls import path

from exams import views

app_name = "exams"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("attempts/<uuid:code>/", views.resume, name="resume"),
    path("attempts/<uuid:code>/q/<int:position>/", views.question, name="question"),
    path("attempts/<uuid:code>/review/", views.review, name="review"),
    path("attempts/<uuid:code>/submit/", views.submit, name="submit"),
    path("attempts/<uuid:code>/results/", views.results, name="results"),
    path("attempts/<uuid:code>/results/questions/", views.answers, name="answers"),
    path("history/", views.history, name="history"),
]
