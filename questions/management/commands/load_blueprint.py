from django.core.management.base import BaseCommand, CommandError

from questions.blueprint_files import BlueprintError, load_blueprints


class Command(BaseCommand):
    help = "Create exams (domains, objectives) from blueprint files; existing ones are kept."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="YAML files, or folders of them")
        parser.add_argument(
            "--update", action="store_true", help="overwrite existing exams with the files"
        )

    def handle(self, *args, **options):
        try:
            report = load_blueprints(options["paths"], update=options["update"])
        except BlueprintError as e:
            for error in e.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(e.errors)} error(s); nothing was loaded.") from None
        for line in report:
            self.stdout.write(line)
