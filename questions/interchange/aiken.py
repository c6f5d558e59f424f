"""Aiken, read and written: the simplest multiple-choice format, plain text.

As Moodle's documentation describes it: the question, then options each starting with
one capital letter, "." or ")" and a space, then "ANSWER: X". Aiken text is literal:
nothing in it is markup. It carries one correct answer, and no key, category,
explanation or references; examsite reads a question over several lines too.
"""

import re
import string

from questions.interchange import Format, register
from questions.interchange.apply import for_export
from questions.interchange.schema import Item, Reading, Skip, Written
from questions.interchange.text import decode, position_key

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*\S)\s*$")
_ANSWER = re.compile(r"^ANSWER:\s*(.*?)\s*$", re.I)


def read(data: bytes, file: str) -> Reading:
    reading = Reading()
    stem: list[str] = []
    options: list[tuple[str, str]] = []
    start = position = 0
    for n, line in enumerate(decode(data, file).split("\n"), start=1):
        line = line.rstrip()
        if not stem and not options:
            if not line.strip():
                continue
            start = n
        if m := _ANSWER.match(line.strip()):
            position += 1
            found = _question(file, start, position, stem, options, m.group(1))
            reading.add(found)
            stem, options = [], []
        elif (m := _OPTION.match(line.strip())) and stem:
            options.append((m.group(1), m.group(2)))
        elif options:
            if line.strip():
                position += 1
                reason = "text after its options is not 'ANSWER: X'"
                reading.add(Skip(file, f"line {start}", reason, _name(stem)))
                # That line may begin the next question.
                stem, options, start = [line], [], n
        else:
            stem.append(line)
    if stem or options:
        reading.add(Skip(file, f"line {start}", "no 'ANSWER:' line", _name(stem)))
    return reading


def _name(stem: list[str]) -> str:
    first = next((s.strip() for s in stem if s.strip()), "")
    return first if len(first) <= 60 else first[:57] + "..."


def _question(file, start, position, stem, options, answer) -> Item | Skip:
    where, name = f"line {start}", _name(stem)
    letters = [letter for letter, _ in options]
    if not options:
        return Skip(file, where, "no options (lines such as 'A. text')", name)
    if not re.fullmatch(r"[A-Z]", answer):
        return Skip(file, where, f"ANSWER: {answer} is not one letter (Aiken has one answer)",
                    name)  # fmt: skip
    if answer not in letters:
        return Skip(file, where, f"ANSWER: {answer} names no option", name)
    return Item(
        file=file,
        where=where,
        key=position_key(file, position),
        name=name,
        kind="single",
        stem="\n".join(stem).strip(),
        options=[(text, letter == answer) for letter, text in options],
    )


def write(questions) -> Written:
    blocks, skipped = [], []
    for _, q in for_export(questions):
        options = list(q.options.all())
        lines = q.stem.split("\n")
        if q.type != "single":
            skipped.append((q.key, "Aiken carries only single-answer questions"))
        elif len(options) > 26:
            skipped.append((q.key, "Aiken letters options A to Z"))
        elif any(_OPTION.match(s.strip()) or _ANSWER.match(s.strip()) for s in lines):
            skipped.append((q.key, "a line of its stem would read as an option or answer"))
        else:
            letters = string.ascii_uppercase
            lines += [f"{letters[i]}. {' '.join(o.text.split())}" for i, o in enumerate(options)]
            answer = next(letters[i] for i, o in enumerate(options) if o.is_correct)
            blocks.append("\n".join([*lines, f"ANSWER: {answer}"]) + "\n")
    return Written("\n".join(blocks).encode(), skipped)


register(
    Format(
        "aiken", "Aiken", (".txt", ".aiken"), read, write, ".txt",
        sniff=lambda data: re.search(rb"(?m)^ANSWER:", data) is not None,
    )
)  # fmt: skip
