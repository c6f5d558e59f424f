"""Helpers shared by the interchange tests (tests/test_formats_*.py)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
BANK = Path(__file__).resolve().parent.parent / "fixtures" / "bank"


def run_import(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_questions", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused_import(*args) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_questions", *map(str, args), stdout=StringIO(), stderr=err)
    assert "Traceback" not in err.getvalue()
    return err.getvalue()


def snapshot(questions) -> dict:
    return {
        q.key: (q.objective.code, q.type, q.stem, q.explanation,
                [(o.text, o.is_correct) for o in q.options.all()])
        for q in questions.select_related("objective").prefetch_related("options")
    }  # fmt: skip
