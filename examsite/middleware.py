import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError

from examsite.errors import error_response

logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answer ``/healthz`` before anything else runs.

    Container and load-balancer probes reach the app by its internal address over plain
    HTTP, so the check must come before host validation and the HTTPS redirect. It says
    200 only when the database answers, since an app tier without it serves nothing.
    """

    path = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != self.path:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse("Use GET or HEAD.\n", status=405)
            response["Allow"] = "GET, HEAD"
            response["Content-Type"] = "text/plain; charset=utf-8"
            return response
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            # The details are for the operator's logs, not for whoever asks.
            logger.exception("Health check: the database did not answer")
            response = HttpResponse("database unavailable\n", status=503)
        else:
            response = HttpResponse("ok\n")
        response["Content-Type"] = "text/plain; charset=utf-8"
        response["Cache-Control"] = "no-store"
        return response


class RequestGuardMiddleware:
    """Refuse, with a 400 that changes nothing, what no view of ours can take.

    Runs before the session is read, so a NUL byte in a cookie (PostgreSQL refuses them in
    text) or a body in an unreadable charset never reaches a query. Every view still
    validates its own parameters; this is the floor under all of them. On the way out it
    dresses Django's bare 405 in the site's error page, keeping the Allow header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [k for k, v in request.COOKIES.items() if "\x00" in k or "\x00" in v]:
            # A forged cookie is treated as absent: the visitor is simply not logged in.
            del request.COOKIES[name]
        problem = self.problem(request)
        if problem:
            return error_response(request, 400, problem)
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and response.has_header("Allow"):
            allowed = response["Allow"]
            page = error_response(request, 405, f"This address accepts {allowed}.")
            page["Allow"] = allowed
            return page
        return response

    @staticmethod
    def problem(request) -> str:
        if "\x00" in request.path:
            return "The address contains a NUL byte."
        try:
            data = [request.GET]
            if request.method == "POST":
                data.append(request.POST)
        except (UnicodeDecodeError, LookupError, ValueError, MultiPartParserError):
            return "The form could not be read: send it as UTF-8 form data."
        for query in data:
            for key, values in query.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    return f"The field {key.replace(chr(0), '')!r} contains a NUL byte."
        return ""
