from django.apps import AppConfig


class StudyConfig(AppConfig):
    """What happens between mocks: practice, drills, spaced review, mastery."""

    name = "study"

    def ready(self):
        from exams.signals import answers_graded
        from study.schedule import record_graded

        answers_graded.connect(record_graded, dispatch_uid="study_record_graded")
