"""Every error a visitor can meet, rendered one way.

A page in the site's layout (navigation, CSP nonce, escaped text) for browsers, and plain
text for htmx requests, which swap the body into a page that already has its layout.
Nothing a request sent is ever echoed unescaped.
"""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

TITLES = {
    400: "That request could not be understood",
    403: "Not allowed",
    404: "Page not found",
    405: "That method is not allowed here",
    409: "That could not be done now",
    429: "Too many requests",
    500: "Something went wrong on our side",
}


def error_response(
    request: HttpRequest, status: int, message: str = "", *, link: tuple[str, str] | None = None
) -> HttpResponse:
    """An error page for ``status`` saying ``message``; ``link`` is (url, text) for a way on."""
    title = TITLES.get(status, HTTPStatus(status).phrase)
    if getattr(request, "htmx", False):
        text = message or title
        return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    ctx = {"status": status, "title": title, "message": message, "link": link}
    return HttpResponse(render_to_string("error.html", ctx, request=request), status=status)


def _message(exception) -> str:
    # Http404("...") raised by our own views carries a message meant for people; Django's
    # resolver's own 404s carry a dict of tried patterns, which is not.
    text = exception.args[0] if exception and exception.args else ""
    return text if isinstance(text, str) else ""


def bad_request(request, exception=None):
    return error_response(request, 400, "The request was malformed; nothing was changed.")


def permission_denied(request, exception=None):
    return error_response(request, 403, _message(exception))


def page_not_found(request, exception=None):
    return error_response(request, 404, _message(exception) or "There is nothing at this address.")


def server_error(request):
    # Rendered without the request: whatever failed may be what a context processor needs.
    return HttpResponse(render_to_string("500.html"), status=500)


def csrf_failure(request, reason=""):
    return error_response(
        request,
        403,
        "The form had expired or came from another site, so nothing was saved. "
        "Go back, reload the page and try again.",
    )
