"""The floor: the least a request of examsite's kind can cost on this stack (gunicorn,
Django's middleware, a session read, the CSRF check, one UPDATE). The benchmark compares
the question page and the save against it."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.views.decorators.http import require_http_methods


@login_required
@require_http_methods(["GET", "POST"])
def floor(request):
    if request.method == "POST":
        value = request.POST.get("value", "")[:150]
        User.objects.filter(pk=request.user.pk).update(last_name=value)
        return HttpResponse("saved", content_type="text/plain")
    token = get_token(request)
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{token}">')


def count_queries(get_response):
    """Middleware: X-Bench-Queries says how many queries Django sent for the request
    (session and user included; the connection's health check is not a Django query)."""

    def middleware(request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response

    return middleware
