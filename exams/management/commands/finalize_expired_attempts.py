from django.core.management.base import BaseCommand

from exams.services import finalize_expired


class Command(BaseCommand):
    help = "Score and close every attempt whose time has run out (run it from cron)."

    def handle(self, *args, **options):
        count = finalize_expired()
        self.stdout.write(f"Finalized {count} expired attempt(s).")
