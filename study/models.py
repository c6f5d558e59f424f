from django.conf import settings
from django.db import models
from django.utils import timezone


class ReviewCardQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(due__lte=now or timezone.now(), question__status="active")


class ReviewCard(models.Model):
    """One question in one candidate's review schedule (FSRS).

    A question enters when it is answered wrong, or right but unsure; every later answer to
    it, in any mode, moves its next due date. ``state`` is the fsrs package's own card,
    stored as it serialises itself.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="cards")
    question = models.ForeignKey("questions.Question", models.CASCADE, related_name="cards")
    due = models.DateTimeField(db_index=True)
    state = models.JSONField()
    reviews = models.PositiveIntegerField(default=0)
    last_review = models.DateTimeField()

    objects = ReviewCardQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="card_unique_question")
        ]
        indexes = [models.Index(fields=["user", "due"])]

    def __str__(self):
        return f"{self.user_id} {self.question_id} due {self.due:%Y-%m-%d}"
