from django.db import migrations
from django.db.models import F


def fill_banks(apps, schema_editor):
    # Attempts made before forms existed were sat on an exam that owns its bank.
    Attempt = apps.get_model("exams", "Attempt")
    Attempt.objects.filter(bank=None).update(bank=F("exam"))


class Migration(migrations.Migration):
    dependencies = [("exams", "0003_modes_and_banks")]

    operations = [migrations.RunPython(fill_banks, migrations.RunPython.noop)]
