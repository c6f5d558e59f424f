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
