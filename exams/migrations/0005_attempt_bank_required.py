import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0004_fill_attempt_banks"),
        ("questions", "0004_forms_and_versions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attempt",
            name="bank",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="bank_attempts",
                to="questions.exam",
            ),
        ),
    ]
