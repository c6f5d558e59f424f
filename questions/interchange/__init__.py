"""Question interchange: GIFT, Moodle XML, Aiken and QTI in and out, through one schema.

A format is a module that builds a ``Format`` and calls ``register``: readers turn bytes
into neutral items (schema.py), writers turn questions into bytes, and apply.py does the
rest for all of them. Nothing else in the tree names formats.
"""

from collections.abc import Callable
from dataclasses import dataclass

from questions.interchange.safety import check_size
from questions.interchange.schema import FormatError, Reading, Written


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    extensions: tuple[str, ...]
    read: Callable[[bytes, str], Reading]
    write: Callable[..., Written] | None = None
    export_extension: str = ""
    # Whether content alone tells this format, for files whose extension is shared.
    sniff: Callable[[bytes], bool] | None = None


_registry: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    _registry[fmt.name] = fmt
    return fmt


def get(name: str) -> Format:
    return _registry[name]


def names() -> list[str]:
    return list(_registry)


def guess(filename: str, data: bytes | None = None) -> str | None:
    """The format of a file from its extension, and its content where extensions are shared."""
    lower = filename.lower()
    candidates = [f for f in _registry.values() if lower.endswith(f.extensions)]
    if len(candidates) > 1 and data is not None:
        sniffed = [f for f in candidates if f.sniff and f.sniff(data)]
        candidates = sniffed or [f for f in candidates if not f.sniff] or candidates
    return candidates[0].name if candidates else None


def read(name: str, data: bytes, file: str) -> Reading:
    """Items and skips in one file; FormatError (one clear line) if it cannot be read."""
    check_size(data, file)
    try:
        return get(name).read(data, file)
    except RecursionError:
        raise FormatError(file, "refused: the file nests too deeply") from None
    except ValueError as e:  # raised by the text walkers for depth
        raise FormatError(file, str(e)) from None


__all__ = ["Format", "FormatError", "Reading", "Written", "get", "guess", "names", "read"]

# The built-in formats register themselves on import.
from questions.interchange import aiken, gift, moodle_xml, qti  # noqa: E402, F401
