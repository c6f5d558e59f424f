from django.db import migrations, models


def keep_positions(apps, schema_editor):
    """Open attempts resume where they were: their current question counts as seen last."""
    Attempt = apps.get_model("exams", "Attempt")
    AttemptItem = apps.get_model("exams", "AttemptItem")
    for attempt_id, position, started in Attempt.objects.filter(status="in_progress").values_list(
        "id", "current_position", "started"
    ):
        AttemptItem.objects.filter(attempt_id=attempt_id, position=position).update(
            last_seen=started
        )


class Migration(migrations.Migration):
    dependencies = [("exams", "0008_begin_and_struck")]

    operations = [
        migrations.AddField(
            model_name="attemptitem",
            name="last_seen",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(keep_positions, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="attempt", name="current_position"),
    ]
