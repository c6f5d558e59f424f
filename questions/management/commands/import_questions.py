from django.core.management.base import BaseCommand, CommandError

from questions.bank import BankImportError, import_bank


class Command(BaseCommand):
    help = "Import questions from bank files or folders (all or nothing; never deletes)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="YAML files, or folders of them")
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="only add questions that are missing; leave existing ones as they are",
        )

    def handle(self, *args, **options):
        try:
            result = import_bank(options["paths"], keep_existing=options["keep_existing"])
        except BankImportError as e:
            for error in e.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(e.errors)} error(s); nothing was imported.") from None
        self.stdout.write(
            f"{len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged."
            + (f" {len(result.kept)} kept as edited here." if result.kept else "")
        )
