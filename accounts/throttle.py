from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from, as the login throttle counts it.

    Behind ``TRUSTED_PROXY_COUNT`` proxies, each appends the address it saw to
    X-Forwarded-For, so the client is that many entries from the right; anything further
    left was written by the client and could be forged.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.headers.get("X-Forwarded-For", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def forget_own_failures(sender, request: HttpRequest, user, **kwargs) -> None:
    """After a successful login, drop the failures of that account from that address.

    A class behind one address then does not pile up its typos into a lock for everyone,
    while failures against other accounts from the same address still count: logging in
    to one's own account must not reset a guessing run against someone else's.
    (django-axes' own AXES_RESET_ON_SUCCESS clears the whole address, so it is off.)
    """
    if request is None:
        return
    AccessAttempt.objects.filter(
        username=user.get_username(), ip_address=client_ip(request)
    ).delete()


def username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The username a login attempt names, as the throttle records it.

    Cut to the column's length and without NUL bytes (which PostgreSQL refuses in text),
    so a hostile value is counted as a failure like any other instead of failing the
    request.
    """
    source = credentials if credentials is not None else request.POST
    value = source.get("username", "") if source is not None else ""
    return str(value).replace("\x00", "")[:255]
