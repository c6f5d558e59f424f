"""GIFT (Moodle's "General Import Format Technology"), read and written.

As Moodle's documentation describes it: questions separated by blank lines, // comment
lines, $CATEGORY: lines, ::title::, an optional [html|moodle|plain|markdown] text format,
and an answer block in braces: =right, ~wrong, ~%50%weighted, #feedback, ####general
feedback. \\~ \\= \\# \\{ \\} \\: \\\\ are literal characters and \\n a line break.
examsite writes each question's key in a "// examsite-key: KEY" comment line before it.
"""

import re

from questions.interchange import Format, register
from questions.interchange.apply import for_export, weight
from questions.interchange.schema import Item, Reading, Skip, Written
from questions.interchange.text import (
    decode,
    html_has_media,
    html_to_text,
    literal,
    position_key,
    with_option_feedback,
)

# Each escape becomes a private-use character while the structure is parsed.
_ESCAPES = {"\\\\": "\ue000", "\\~": "\ue001", "\\=": "\ue002", "\\#": "\ue003",
            "\\{": "\ue004", "\\}": "\ue005", "\\:": "\ue006", "\\n": "\ue007"}  # fmt: skip
_LITERAL = {"\ue000": "\\", "\ue001": "~", "\ue002": "=", "\ue003": "#", "\ue004": "{",
            "\ue005": "}", "\ue006": ":", "\ue007": "\n"}  # fmt: skip
_KEY = re.compile(r"^\s*//\s*examsite-key:\s*(\S+)\s*$")
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = re.compile(r"^\s*(T|F|TRUE|FALSE)\s*(#|$)", re.S)
TOLERANCE = 0.01  # percent: 33.33333 three times is 99.99999


def _unescape(text: str) -> str:
    for placeholder, char in _LITERAL.items():
        text = text.replace(placeholder, char)
    return text


def _text(raw: str, fmt: str) -> str:
    converted = literal(raw) if fmt in ("plain", "markdown") else html_to_text(raw)
    return _unescape(converted).strip()


def _blocks(text: str):
    """(first line number, lines, explicit key) for each blank-line separated block."""
    block, start, key = [], 0, None
    for n, line in enumerate([*text.split("\n"), ""], start=1):
        if not line.strip():
            if block:
                yield start, block, key
            block, key = [], None
            continue
        if line.lstrip().startswith("//"):
            if m := _KEY.match(line):
                key = m.group(1)
            continue
        if not block:
            start = n
        block.append(line)


def read(data: bytes, file: str) -> Reading:
    text = decode(data, file)
    for escape, placeholder in _ESCAPES.items():
        text = text.replace(escape, placeholder)
    reading, category, position = Reading(), "", 0
    for line, lines, key in _blocks(text):
        if lines[0].strip().upper().startswith("$CATEGORY:"):
            category = _unescape(lines[0].split(":", 1)[1]).strip()
            lines = lines[1:]
            if not lines:
                continue
        position += 1
        found = _question(
            "\n".join(lines), file, f"line {line}", key or position_key(file, position)
        )
        if isinstance(found, Item):
            found.category = category
        reading.add(found)
    return reading


def _question(text: str, file: str, where: str, key: str) -> Item | Skip:
    name = ""
    if m := re.match(r"^\s*::(.*?)::", text, re.S):
        name, text = _unescape(m.group(1)).strip(), text[m.end() :]

    def skip(reason: str) -> Skip:
        return Skip(file, where, reason, name)

    fmt = "moodle"
    if m := re.match(r"^\s*\[(html|moodle|plain|markdown)\]", text):
        fmt, text = m.group(1), text[m.end() :]
    opening = text.find("{")
    closing = text.find("}", opening + 1)
    if opening < 0:
        return skip("a description: it has no answers")
    if closing < 0:
        return skip("its answer block has no closing '}'")
    before, answers, after = text[:opening], text[opening + 1 : closing], text[closing + 1 :]
    # Text after the answers makes a "missing word" question: Moodle shows a blank there.
    raw_stem = f"{before}_____{after}" if after.strip() else before
    if fmt not in ("plain", "markdown") and html_has_media(raw_stem + answers):
        return skip("it shows an image or other media, which examsite cannot show")
    general = ""
    if "####" in answers:
        answers, general = answers.split("####", 1)
    body = answers.strip()
    if not body:
        return skip("an essay question (no answers to choose from)")
    if body.startswith("#"):
        return skip("a numerical question")
    if "~" not in body:
        if "->" in body:
            return skip("a matching question")
        if _TRUE_FALSE.match(body):
            return skip("a true/false question")
        return skip("a short-answer question (answers are typed, not chosen)")
    options, feedback, weights, weighted = [], [], [], False
    for mark, raw in re.findall(r"([=~])([^=~]*)", answers):
        raw, _, fb = raw.partition("#")
        m = _WEIGHT.match(raw)
        weighted = weighted or bool(m)
        weights.append(float(m.group(1)) if m else (100.0 if mark == "=" else 0.0))
        option = _text(raw[m.end() :] if m else raw, fmt)
        options.append(option)
        feedback.append((option, _text(fb, fmt)))
    correct, problem = decide(weights, single=not weighted)
    if problem:
        return skip(problem)
    stem = _text(raw_stem, fmt)
    return Item(
        file=file,
        where=where,
        key=key,
        name=name,
        kind="single" if sum(correct) == 1 else "multiple",
        stem=stem,
        options=list(zip(options, correct, strict=True)),
        explanation=with_option_feedback(_text(general, fmt), feedback),
    )


def decide(weights: list[float], single: bool) -> tuple[list[bool], str]:
    """Which options are correct, from weights in percent; or why the question cannot map.

    examsite grades all or nothing, so a question whose credit is partial has no
    equivalent: a single-answer question needs one option worth 100%, a multiple-response
    one needs its positive weights to add up to 100%.
    """
    correct = [w > 0 for w in weights]
    positive = [w for w in weights if w > 0]
    if not positive:
        return correct, "no option is marked correct"
    if single or len(positive) == 1:
        if any(w < 100 - TOLERANCE for w in positive):
            return correct, f"partial credit ({min(positive):g}%) has no equivalent in examsite"
        if len(positive) > 1:
            return correct, (
                f"{len(positive)} options are each fully correct (any one accepted), "
                "which examsite cannot express"
            )
        return correct, ""
    if abs(sum(positive) - 100) > TOLERANCE * len(positive):
        return correct, (
            f"the correct options' weights add up to {sum(positive):g}%, not 100% "
            "(partial credit has no equivalent in examsite)"
        )
    return correct, ""


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def write(questions) -> Written:
    out, category = [], None
    for cat, q in for_export(questions):
        if cat != category:
            out.append(f"$CATEGORY: {cat}\n")
            category = cat
        options = list(q.options.all())
        share = weight(sum(o.is_correct for o in options))
        lines = [f"// examsite-key: {q.key}", f"::{q.key}::[plain]{escape(q.stem)} {{"]
        for o in options:
            if q.type == "single":
                lines.append(f"{'=' if o.is_correct else '~'}{escape(o.text)}")
            else:
                lines.append(f"~%{share if o.is_correct else '-100'}%{escape(o.text)}")
        if q.explanation:
            lines.append(f"####{escape(q.explanation)}")
        out.append("\n".join([*lines, "}"]) + "\n")
    return Written("\n".join(out).encode())


register(
    Format(
        "gift", "GIFT", (".gift", ".txt"), read, write, ".gift",
        sniff=lambda data: b"{" in data and b"}" in data,
    )
)  # fmt: skip
