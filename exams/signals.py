"""Signals the engine sends, so study features follow answers without exams knowing them."""

from collections.abc import Callable

from django.db.models import Expression
from django.dispatch import Signal

# Sent after answers are graded and stored: at a finish, or when a practice answer is
# confirmed. Arguments: user_id, items (graded AttemptItems), now.
answers_graded = Signal()

# What listeners of answers_graded want read with an item about to be confirmed: functions
# returning {name: expression over AttemptItem}. The locked read of the item selects them,
# so grading one answer costs no read of its own.
graded_item_columns: list[Callable[[], dict[str, Expression]]] = []
