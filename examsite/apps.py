from django.apps import AppConfig


class ExamsiteConfig(AppConfig):
    """The project itself: site-wide commands (bootstrap), error pages and request guards."""

    name = "examsite"
