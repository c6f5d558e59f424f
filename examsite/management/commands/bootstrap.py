import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection

# Any fixed number; it names the lock that lets one starting container at a time migrate.
LOCK_ID = 0x65_78_61_6D


@contextmanager
def one_at_a_time() -> Iterator[None]:
    """Hold a PostgreSQL advisory lock, so app containers starting together migrate and
    load one after another instead of racing on the same rows. SQLite serves one host."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])


class Command(BaseCommand):
    help = (
        "Get a server ready to serve: wait for the database, migrate, and load the bundled "
        "blueprints and question bank (only what is missing). What the container runs on start."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait", type=int, default=60, help="seconds to wait for the database (60)"
        )

    def handle(self, *args, wait, **options):
        self.wait_for_database(wait)
        with one_at_a_time():
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
            if not settings.LOAD_BANK:
                self.stdout.write("Not loading the bundled bank (LOAD_BANK is off).")
                return
            fixtures = settings.BASE_DIR / "fixtures"
            call_command("load_blueprint", str(fixtures / "blueprints"), stdout=self.stdout)
            call_command(
                "import_questions", "--keep-existing", str(fixtures / "bank"), stdout=self.stdout
            )

    def wait_for_database(self, seconds: int) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                connection.ensure_connection()
                return
            except OperationalError as error:
                connection.close()
                if time.monotonic() >= deadline:
                    raise CommandError(
                        f"The database did not answer within {seconds} s: {error}"
                    ) from None
                self.stdout.write("Waiting for the database...")
                time.sleep(1)
