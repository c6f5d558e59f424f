from django.contrib import admin
from django.urls import include, path

from exams.views import taking

urlpatterns = [
    path("", taking.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("", include("exams.urls")),
    path("", include("study.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "examsite.errors.bad_request"
handler403 = "examsite.errors.permission_denied"
handler404 = "examsite.errors.page_not_found"
handler500 = "examsite.errors.server_error"
