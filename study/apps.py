from django.apps import AppConfig


class StudyConfig(AppConfig):
    """What happens between mocks: practice, drills, spaced review, mastery."""

    name = "study"

    def ready(self):
        from exams.signals import answers_graded, graded_item_columns
        from study.schedule import card_columns, record_graded

        answers_graded.connect(record_graded, dispatch_uid="study_record_graded")
        if card_columns not in graded_item_columns:
            graded_item_columns.append(card_columns)
