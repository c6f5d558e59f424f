"""The registry of question kinds.

A kind is everything that differs between kinds of question: the rules its options must
meet, how it is frozen into an attempt, how a response is read from a form, how it is
graded and whether a response is complete. A new kind is a new module that defines a
``Kind`` subclass and calls ``register``; nothing else in the tree names kinds.
"""

from questions.kinds.base import InvalidResponse, Kind

_registry: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _registry[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _registry.pop(name, None)


def get(name: str) -> Kind:
    return _registry[name]


def choices() -> list[tuple[str, str]]:
    """For the question's ``type`` field: Django reads callable choices when it needs them."""
    return [(k.name, k.label) for k in _registry.values()]


def all_kinds() -> list[Kind]:
    return list(_registry.values())


__all__ = ["InvalidResponse", "Kind", "all_kinds", "choices", "get", "register", "unregister"]

# The built-in kinds register themselves on import.
from questions.kinds import choice  # noqa: E402, F401
