"""Views by concern: taking an attempt, and what comes after it."""
