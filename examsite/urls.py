from django.contrib import admin
from django.urls import include, path

from exams import views as exam_views

urlpatterns = [
    path("", exam_views.home, name="home"),
    path("accounts/signup/", exam_views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("exams.urls")),
    path("admin/", admin.site.urls),
]
