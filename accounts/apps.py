from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    """Sign-up, log-in throttling and password reset: everything about who a candidate is."""

    name = "accounts"

    def ready(self):
        from accounts.throttle import forget_own_failures
        from accounts.zones import remember_at_login

        user_logged_in.connect(forget_own_failures, dispatch_uid="forget_own_failures")
        user_logged_in.connect(remember_at_login, dispatch_uid="remember_time_zone")
