from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import zones
from accounts.models import Signup
from accounts.throttle import client_ip
from examsite.errors import error_response


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


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    """The candidate's settings: the time zone, chosen here or reported by the browser."""
    current = zones.of_session(request) or ("", False)
    if request.method == "POST":
        name = request.POST.get("time_zone", "")
        if not zones.is_zone(name):
            return error_response(
                request,
                400,
                "Time zone takes an IANA name such as Europe/Berlin or America/New_York; "
                "nothing was changed.",
            )
        # The browser reports its zone in the background (static/js/timezone.js); it never
        # overrides a zone the candidate chose on this page.
        detected = request.POST.get("detected") == "1"
        if detected and current[0] and not current[1]:
            return HttpResponse(status=204)
        zones.store(request, name, detected=detected)
        if detected:
            return HttpResponse(status=204)
        messages.success(request, f"Times are now shown in {name}.")
        return redirect("preferences")
    ctx = {
        "zones": sorted({*zones.choices(), timezone.get_current_timezone_name()}),
        "current": timezone.get_current_timezone_name(),
        "detected": current[1],
        "stored": current[0],
    }
    return render(request, "registration/preferences.html", ctx)
