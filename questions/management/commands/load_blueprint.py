from django.core.management.base import BaseCommand

from questions.bank import load_blueprints


class Command(BaseCommand):
    help = "Create exams (domains, objectives) from blueprint files; existing ones are kept."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="YAML files, or folders of them")
        parser.add_argument(
            "--update", action="store_true", help="overwrite existing exams with the files"
        )

    def handle(self, *args, **options):
        for line in load_blueprints(options["paths"], update=options["update"]):
            self.stdout.write(line)
