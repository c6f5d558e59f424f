"""Signals the engine sends, so study features follow answers without exams knowing them."""

from django.dispatch import Signal

# Sent after answers are graded and stored: at a finish, or when a practice answer is
# confirmed. Arguments: user_id, items (graded AttemptItems), now.
answers_graded = Signal()
