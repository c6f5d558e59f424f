import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse

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
