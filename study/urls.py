from django.urls import path

from study import views

app_name = "study"

urlpatterns = [
    path("exams/<str:code>/practice/", views.practice, name="practice"),
    path("exams/<str:code>/review/", views.review_due, name="review_due"),
    path("exams/<str:code>/mastery/", views.mastery, name="mastery"),
    path("attempts/<uuid:code>/retake/", views.retake, name="retake"),
]
