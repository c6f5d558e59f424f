from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class ExamsiteConfig(AppConfig):
    """The project itself: site-wide commands (bootstrap) and the login throttle's hooks."""

    name = "examsite"

    def ready(self):
        from examsite.throttle import forget_own_failures

        user_logged_in.connect(forget_own_failures, dispatch_uid="forget_own_failures")
