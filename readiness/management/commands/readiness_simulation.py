from dataclasses import fields

from django.core.management.base import BaseCommand

from readiness.simulation import Config, simulate


class Command(BaseCommand):
    help = (
        "Simulate candidates of known ability on a bank of known difficulty and print how "
        "well the readiness model recovers them: ability RMSE and bias, calibration of the "
        "pass probability by decile, and its Brier score against last mock's pass/fail."
    )

    def add_arguments(self, parser):
        for f in fields(Config):
            parser.add_argument(
                f"--{f.name.replace('_', '-')}",
                type=type(f.default),
                default=f.default,
                help=f"default {f.default}",
            )

    def handle(self, *args, **options):
        config = Config(**{f.name: options[f.name] for f in fields(Config)})
        for line in simulate(config).table():
            self.stdout.write(line)
