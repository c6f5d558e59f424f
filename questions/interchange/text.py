"""Text from files: bytes to str, HTML and XHTML to plain text, MathML to a linear form.

examsite stores and shows plain text, so markup from a file is turned into text here and
never rendered. Entities are decoded exactly once, so "&lt;a href=...&gt;" written as
text stays that text instead of being read as a tag a second time.
"""

import codecs
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from questions.interchange.schema import FormatError

BLOCKS = {"p": 2, "div": 1, "li": 1, "tr": 1, "table": 2, "ul": 2, "ol": 2, "blockquote": 2,
          "pre": 2, "h1": 2, "h2": 2, "h3": 2, "h4": 2, "h5": 2, "h6": 2, "section": 2,
          "dl": 2, "dt": 1, "dd": 1, "hr": 2, "figure": 2, "figcaption": 1}  # fmt: skip
# Content never shown as text: code, styling and document metadata.
DROPPED = {"script", "style", "head", "title", "template", "noscript", "object", "iframe"}
# Elements whose meaning is a picture or sound: a question relying on one is skipped.
MEDIA = {"img", "object", "embed", "video", "audio", "iframe", "svg", "canvas", "picture"}
TEX = {"application/x-tex", "tex", "latex", "text/x-latex", "application/x-latex"}
_MEDIA_TAG = re.compile(r"<\s*(?:img|object|embed|video|audio|iframe|svg|canvas|picture)\b", re.I)
_XML_DECL = re.compile(rb"^<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# Labels browsers read as Windows-1252: files that say Latin-1 usually hold curly quotes too.
_LATIN = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252",
          "cp1252"}  # fmt: skip
MAX_DEPTH = 200


def local(tag) -> str:
    """An element's name without namespace or prefix, lower case."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower() if isinstance(tag, str) else ""


def decode(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, a declared XML encoding, or Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8"]
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        declared = _XML_DECL.match(data)
        label = declared.group(1).decode().lower() if declared else "utf-8"
        encodings = ["cp1252", "latin-1"] if label in _LATIN else [label, "cp1252", "latin-1"]
        if label not in _LATIN:
            encodings.insert(0, "utf-8")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise FormatError(file, f"unknown text encoding {encoding!r}") from None
    else:  # pragma: no cover - latin-1 decodes every byte
        raise FormatError(file, "not text")
    if "\x00" in text:
        raise FormatError(file, "not a text file (it holds NUL characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _Out:
    """Collects text and line breaks; whitespace in source text collapses as in HTML."""

    def __init__(self):
        self.parts: list[str] = []

    def text(self, s: str, pre: bool = False) -> None:
        self.parts.append(s if pre else re.sub(r"[ \t\n\f\r]+", " ", s))

    def breaks(self, n: int, add: bool = False) -> None:
        """Block edges take the larger of adjacent breaks; each <br> adds one."""
        while self.parts and self.parts[-1].strip(" ") == "" and "\n" not in self.parts[-1]:
            self.parts.pop()  # blank space between blocks is not text
        if not add and self.parts and self.parts[-1] and self.parts[-1].strip("\n") == "":
            n = max(n, len(self.parts.pop()))
        if n:
            self.parts.append("\n" * n)

    def result(self) -> str:
        text = "".join(self.parts).replace("\xa0", " ")
        text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return re.sub(r" {2,}", " ", text).strip()


class _HTMLText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = _Out()
        self.dropped = 0
        self.pre = 0
        self.math: list[ET.Element] = []  # open MathML elements, built into a tree
        self.lists: list[str] = []

    def handle_starttag(self, tag, attrs):
        tag = local(tag)
        if self.math or tag == "math":
            el = ET.Element(tag, {k: v or "" for k, v in attrs})
            if self.math:
                self.math[-1].append(el)
            self.math.append(el)
            return
        if tag in DROPPED:
            self.dropped += 1
        elif tag == "br":
            self.out.breaks(1, add=True)
        elif tag in ("td", "th"):
            self.out.text(" ")
        elif tag in BLOCKS:
            self.out.breaks(BLOCKS[tag])
            self.pre += tag == "pre"
            if tag in ("ul", "ol"):
                self.lists.append(tag)
            if tag == "li":
                self.out.text("- " if not self.lists or self.lists[-1] == "ul" else "* ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.math or local(tag) not in ("br", "hr", "img"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        tag = local(tag)
        if self.math:
            # Close up to the matching element; HTML authors leave MathML tags open too.
            while self.math:
                el = self.math.pop()
                if el.tag == tag:
                    break
            if not self.math:
                self.out.text(math_text(el))
            return
        if tag in DROPPED:
            self.dropped = max(0, self.dropped - 1)
        elif tag in BLOCKS:
            self.out.breaks(BLOCKS[tag])
            self.pre = max(0, self.pre - (tag == "pre"))
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()

    def handle_data(self, data):
        if self.math:
            el = self.math[-1]
            if len(el):
                el[-1].tail = (el[-1].tail or "") + data
            else:
                el.text = (el.text or "") + data
        elif not self.dropped:
            self.out.text(data, pre=bool(self.pre))


def html_to_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    while parser.math:  # a <math> never closed still keeps its meaning
        el = parser.math.pop()
        if not parser.math:
            parser.out.text(math_text(el))
    return parser.out.result()


def html_has_media(html: str) -> bool:
    return bool(_MEDIA_TAG.search(html))


def xml_has_media(el: ET.Element) -> bool:
    return any(local(e.tag) in MEDIA for e in el.iter())


def xml_to_text(el: ET.Element, skip=frozenset(), replace=None) -> str:
    """The text of an XHTML element tree (QTI content); its text nodes are literal text.

    ``skip`` names elements left out; ``replace`` maps an element to the text written
    instead of it (a choice interaction becomes its prompt).
    """
    out = _Out()
    replace = replace or {}

    def walk(e: ET.Element, depth: int, pre: bool) -> None:
        if depth > MAX_DEPTH:
            raise ValueError(f"the XML nests deeper than {MAX_DEPTH} levels")
        for child in e:
            tag = local(child.tag)
            if child in replace:
                out.breaks(2)
                out.text(replace[child])
                out.breaks(2)
            elif tag == "math":
                out.text(math_text(child))
            elif tag == "br":
                out.breaks(1, add=True)
            elif tag in skip or tag in DROPPED or not isinstance(child.tag, str):
                pass
            else:
                n = BLOCKS.get(tag, 0)
                out.breaks(n)
                if tag == "li":
                    out.text("- ")
                if tag in ("td", "th"):
                    out.text(" ")
                if child.text:
                    out.text(child.text, pre=pre or tag == "pre")
                walk(child, depth + 1, pre or tag == "pre")
                out.breaks(n)
            if child.tail:
                out.text(child.tail, pre=pre)

    if el.text:
        out.text(el.text)
    walk(el, 0, False)
    return out.result()


def math_text(math: ET.Element) -> str:
    """MathML as text: its TeX annotation when it has one, else a linear form ("1/3")."""
    for ann in math.iter():
        if local(ann.tag) == "annotation" and (ann.get("encoding") or "").lower() in TEX:
            return f"\\({(ann.text or '').strip()}\\)"
    return _linear(math, 0).strip()


def _group(e: ET.Element, depth: int) -> str:
    s = _linear(e, depth)
    return s if len(s) <= 1 or s.isalnum() or _fenced(s) else f"({s})"


def _fenced(s: str) -> bool:
    if not (s.startswith("(") and s.endswith(")")):
        return False
    level = 0
    for i, c in enumerate(s):
        level += (c == "(") - (c == ")")
        if level == 0 and i < len(s) - 1:
            return False
    return True


def _linear(e: ET.Element, depth: int) -> str:
    if depth > MAX_DEPTH:
        raise ValueError(f"the MathML nests deeper than {MAX_DEPTH} levels")
    tag, kids, d = local(e.tag), list(e), depth + 1
    if tag in ("annotation", "annotation-xml", "mphantom", "none", "mprescripts"):
        return ""
    if tag in ("mi", "mn", "mo", "mtext", "ms"):
        return re.sub(r"\s+", " ", "".join(e.itertext())).strip()
    if tag == "mspace":
        return " "
    if tag == "semantics":
        return _linear(kids[0], d) if kids else ""
    if tag == "mfrac" and len(kids) == 2:
        return f"{_group(kids[0], d)}/{_group(kids[1], d)}"
    if tag in ("msup", "mover") and len(kids) == 2:
        return f"{_group(kids[0], d)}^{_group(kids[1], d)}"
    if tag in ("msub", "munder") and len(kids) == 2:
        return f"{_group(kids[0], d)}_{_group(kids[1], d)}"
    if tag in ("msubsup", "munderover") and len(kids) == 3:
        return f"{_group(kids[0], d)}_{_group(kids[1], d)}^{_group(kids[2], d)}"
    if tag == "msqrt":
        return f"sqrt({''.join(_linear(k, d) for k in kids)})"
    if tag == "mroot" and len(kids) == 2:
        return f"root({_linear(kids[1], d)}, {_linear(kids[0], d)})"
    if tag == "mfenced":
        sep = (e.get("separators") or ",").strip()[:1] or ","
        inner = f"{sep} ".join(_linear(k, d) for k in kids)
        return f"{e.get('open', '(')}{inner}{e.get('close', ')')}"
    if tag == "mtable":
        rows = ["; ".join(_linear(c, d) for c in row) for row in kids]
        return "[" + " | ".join(rows) + "]"
    return "".join(_linear(k, d) for k in kids) or re.sub(r"\s+", " ", e.text or "").strip()


def literal(text: str) -> str:
    """Plain text as a format gives it: only line ends and outer blank space are tidied."""
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def slug(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:48].strip("-") or "file"


def position_key(file: str, position: int) -> str:
    """A key from the file's name and the question's place in it: the same file, the same keys."""
    return f"{slug(file)}-{position:03d}"


def with_option_feedback(general: str, feedback: list[tuple[str, str]]) -> str:
    """The explanation: general feedback, then what the file says about each option."""
    lines = [f"- {option}: {text}" for option, text in feedback if text]
    parts = [general] if general else []
    if lines:
        parts.append("About the options:\n" + "\n".join(lines))
    return "\n\n".join(parts)
