"""Reading YAML files that may be hostile: bounded in size, aliases and depth.

The container loads the bundled bank at every start and authors import files from
elsewhere, so a file must not be able to stall the process ("billion laughs" aliases),
exhaust memory, or build objects: only plain mappings, lists and scalars come out
(PyYAML's safe constructor refuses every other tag).
"""

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

# Bank and blueprint files need no aliases at all; a few are tolerated for hand-written files.
MAX_ALIASES = 20
# A bank file nests five levels (document, questions, question, options, option).
MAX_DEPTH = 12


class FileRefused(Exception):
    """The file cannot be read safely or is not YAML; says which file and why."""

    def __init__(self, path: Path | str, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


class _Refused(Exception):
    """Raised inside the loader, which does not know the file's name."""


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(f"it uses more than {MAX_ALIASES} YAML aliases")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"it nests deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def read_documents(path: Path) -> list[Any]:
    """The YAML documents in ``path``, or FileRefused saying why not."""
    limit = settings.BANK_FILE_MAX_KB * 1024
    try:
        size = path.stat().st_size
        if size > limit:
            raise _Refused(
                f"the file is {size // 1024} KB, over the limit of "
                f"{settings.BANK_FILE_MAX_KB} KB (BANK_FILE_MAX_KB)"
            )
        text = path.read_bytes().decode("utf-8-sig")
        loader = _BoundedLoader(text)
        try:
            documents = []
            while loader.check_data():
                documents.append(loader.get_data())
            return documents
        finally:
            loader.dispose()
    except _Refused as e:
        raise FileRefused(path, str(e)) from None
    except FileNotFoundError:
        raise FileRefused(path, "No such file.") from None
    except IsADirectoryError:
        raise FileRefused(path, "a folder, not a file") from None
    except UnicodeDecodeError:
        raise FileRefused(path, "not UTF-8 text") from None
    except yaml.YAMLError as e:
        where = getattr(e, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise FileRefused(path, f"Not valid YAML{line}: {problem}") from None
