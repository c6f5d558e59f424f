from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import Signup
from accounts.throttle import client_ip


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    if not settings.SIGNUP_ENABLED:
        raise Http404("Sign-up is turned off on this site; ask its administrator for an account.")
    if request.user.is_authenticated:
        return redirect("home")
    ip = client_ip(request)
    if Signup.objects.recent(ip).count() >= settings.SIGNUP_LIMIT:
        ctx = {"limit": settings.SIGNUP_LIMIT, "minutes": settings.SIGNUP_WINDOW_MINUTES}
        return render(request, "accounts/signup_throttled.html", ctx, status=429)
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            Signup.objects.create(ip_address=ip)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Pick an exam to start.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})
