"""Moodle XML, read and written: <quiz> of <question type="...">.

As Moodle's documentation describes it. Multiple choice maps to examsite's kinds
(<single>true</single> is one answer, false several); answer fractions decide which
options are correct; <generalfeedback> is the explanation and each answer's <feedback>
is kept in it; type="category" questions set the category of those that follow.
<idnumber>, Moodle's own identity field, is taken as the key. Embedded files are never
decoded and nothing a file links to is fetched.
"""

import re
from xml.sax.saxutils import escape

from questions.interchange import Format, register
from questions.interchange.apply import for_export, weight
from questions.interchange.gift import decide
from questions.interchange.safety import parse_xml
from questions.interchange.schema import FormatError, Item, Reading, Skip, Written
from questions.interchange.text import (
    decode,
    html_has_media,
    html_to_text,
    literal,
    position_key,
    with_option_feedback,
)

TYPES = {
    "truefalse": "a true/false question",
    "shortanswer": "a short-answer question (answers are typed, not chosen)",
    "numerical": "a numerical question",
    "essay": "an essay question",
    "matching": "a matching question",
    "randomsamatch": "a random short-answer matching question",
    "multianswer": "a cloze (embedded answers) question",
    "description": "a description: it has no answers",
    "ordering": "an ordering question",
    "ddwtos": "a drag-and-drop into text question",
    "ddimageortext": "a drag-and-drop onto image question",
    "ddmarker": "a drag-and-drop markers question",
    "gapselect": "a select-missing-words question",
    "calculated": "a calculated question",
    "calculatedsimple": "a calculated question",
    "calculatedmulti": "a calculated multiple-choice question (values are random)",
    "random": "a random question (drawn from a category when a quiz runs)",
}
LITERAL_FORMATS = ("plain_text", "markdown")
# An ID number that is not a valid key is only a label: the position names the question.
KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def _child_text(el, path: str) -> str:
    found = el.find(path)
    return "" if found is None else (found.text or "")


def _formatted(el) -> tuple[str, bool]:
    """The text of a <questiontext>, <answer>, <feedback>… and whether it shows media."""
    if el is None:
        return "", False
    raw = _child_text(el, "text")
    if el.get("format", "html") in LITERAL_FORMATS:
        return literal(raw), False
    return html_to_text(raw), html_has_media(raw)


def read(data: bytes, file: str) -> Reading:
    root = parse_xml(decode(data, file), file)
    if root.tag != "quiz":
        raise FormatError(file, f"not Moodle XML: the root element is <{root.tag}>, not <quiz>")
    reading, category, position = Reading(), "", 0
    for question in root.findall("question"):
        kind = question.get("type", "")
        if kind == "category":
            category = _child_text(question, "category/text").strip()
            continue
        position += 1
        name = " ".join(_child_text(question, "name/text").split())
        where = f"question {position}"
        if kind != "multichoice":
            reason = TYPES.get(kind, f"a question of type {kind!r}, which examsite does not have")
            reading.add(Skip(file, where, reason, name))
            continue
        found = _multichoice(question, file, where, name)
        if isinstance(found, Item):
            idnumber = _child_text(question, "idnumber").strip()
            found.key = idnumber if KEY.fullmatch(idnumber) else position_key(file, position)
            found.category = category
            reading.add(found)
        else:
            reading.add(found)
    return reading


def _multichoice(question, file: str, where: str, name: str) -> Item | Skip:
    stem, media = _formatted(question.find("questiontext"))
    general, _ = _formatted(question.find("generalfeedback"))
    options, weights, feedback = [], [], []
    for answer in question.findall("answer"):
        text, answer_media = _formatted(answer)
        media = media or answer_media
        try:
            weights.append(float(answer.get("fraction", "0")))
        except ValueError:
            return Skip(file, where, f"fraction {answer.get('fraction')!r} is not a number", name)
        options.append(text)
        feedback.append((text, _formatted(answer.find("feedback"))[0]))
    if media:
        return Skip(file, where, "it shows an image or other media, which examsite cannot show",
                    name)  # fmt: skip
    single = _child_text(question, "single").strip().lower() in ("true", "1")
    correct, problem = decide(weights, single=single)
    if problem:
        return Skip(file, where, problem, name)
    return Item(
        file=file,
        where=where,
        key="",
        name=name,
        kind="single" if sum(correct) == 1 else "multiple",
        stem=stem,
        options=list(zip(options, correct, strict=True)),
        explanation=with_option_feedback(general, feedback),
    )


def _text_element(tag: str, text: str, attrs: str = ' format="plain_text"') -> str:
    return f"<{tag}{attrs}><text>{escape(text)}</text></{tag}>"


def write(questions) -> Written:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category = None
    for cat, q in for_export(questions):
        if cat != category:
            category = cat
            out.append(
                f'  <question type="category"><category><text>$course$/top/{escape(cat)}'
                "</text></category></question>"
            )
        options = list(q.options.all())
        share = weight(sum(o.is_correct for o in options))
        single = q.type == "single"
        out += [
            '  <question type="multichoice">',
            f"    {_text_element('name', q.key, '')}",
            f"    {_text_element('questiontext', q.stem)}",
            f"    {_text_element('generalfeedback', q.explanation)}",
            f"    <idnumber>{escape(q.key)}</idnumber>",
            f"    <single>{'true' if single else 'false'}</single>",
            "    <shuffleanswers>true</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
        ]
        for o in options:
            # Wrong options cost in multiple response, as Moodle's own questions do.
            wrong = "0" if single else "-100"
            fraction = ("100" if single else share) if o.is_correct else wrong
            out.append(
                f'    <answer fraction="{fraction}" format="plain_text">'
                f"<text>{escape(o.text)}</text></answer>"
            )
        out.append("  </question>")
    out.append("</quiz>\n")
    return Written("\n".join(out).encode())


register(
    Format(
        "moodle", "Moodle XML", (".xml",), read, write, ".xml",
        sniff=lambda data: b"<quiz" in data[:4096],
    )
)  # fmt: skip
