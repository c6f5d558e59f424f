"""IMS QTI: 2.1 and 3.0 items read, singly or in a content package; 2.1 packages written.

A package is a zip with imsmanifest.xml at its root; every resource of an item type
("imsqti_item_xmlv2p1", "imsqti_item_xmlv3p0", …) is read, in manifest order. Only an
item whose body holds a single choiceInteraction maps to examsite's kinds; its
correctResponse (else positive mapEntry values) says which choices are correct.
Text nodes are literal text; XHTML elements give paragraphs and line breaks; MathML
keeps its meaning. A package's item folder is its category ("MLS-C01/3.2/x.xml").
"""

import io
import posixpath
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

from questions.interchange import Format, register
from questions.interchange.apply import for_export
from questions.interchange.safety import parse_xml, read_zip
from questions.interchange.schema import FormatError, Item, Reading, Skip, Written
from questions.interchange.text import (
    decode,
    local,
    position_key,
    with_option_feedback,
    xml_has_media,
    xml_to_text,
)

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
INTERACTIONS = {
    "textentryinteraction": "a text entry question",
    "extendedtextinteraction": "an essay (extended text) question",
    "orderinteraction": "an ordering question",
    "graphicorderinteraction": "an ordering question on an image",
    "matchinteraction": "a matching question",
    "associateinteraction": "an associate (pairing) question",
    "graphicassociateinteraction": "a pairing question on an image",
    "gapmatchinteraction": "a gap match (drag-and-drop) question",
    "graphicgapmatchinteraction": "a drag-and-drop onto image question",
    "inlinechoiceinteraction": "an inline choice (cloze) question",
    "hottextinteraction": "a hot text question",
    "hotspotinteraction": "a hotspot question",
    "selectpointinteraction": "a select point question",
    "positionobjectinteraction": "a position object question",
    "sliderinteraction": "a slider question",
    "uploadinteraction": "a file upload question",
    "drawinginteraction": "a drawing question",
    "mediainteraction": "a media question",
    "custominteraction": "a custom interaction",
    "portablecustominteraction": "a portable custom interaction",
    "endattemptinteraction": "an end-attempt interaction",
}
NOT_STEM = {"feedbackblock", "feedbackinline", "rubricblock", "templateblock", "templateinline",
            "modalfeedback"}  # fmt: skip
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def _camel(name: str) -> str:
    head, *rest = name.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _normalize(root) -> None:
    """QTI 3.0's qti-kebab-case names as QTI 2.1's camelCase, so one reader serves both."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = el.tag.rsplit("}", 1)[-1]
        if name.startswith("qti-"):
            el.tag = _camel(name[4:])
            for attr in [a for a in el.attrib if "-" in a]:
                el.attrib[_camel(attr)] = el.attrib.pop(attr)
        elif "}" in el.tag and el.tag.split("}")[0] in (
            "{" + NS,
            "{http://www.imsglobal.org/xsd/imsqtiasi_v3p0",
        ):
            el.tag = name


def read(data: bytes, file: str) -> Reading:
    if not data.startswith(b"PK"):
        return _read_items([(file, data, "", "item")], file)
    members = read_zip(data, file)
    if "imsmanifest.xml" not in members:
        raise FormatError(file, "a QTI package needs imsmanifest.xml at its root")
    manifest = parse_xml(decode(members["imsmanifest.xml"], file), f"{file}: imsmanifest.xml")
    entries = []
    for resource in manifest.iter():
        if local(resource.tag) != "resource":
            continue
        if not (resource.get("type") or "").startswith("imsqti_item_xml"):
            continue  # tests, sections, stylesheets and media are not questions
        href = (resource.get("href") or "").replace("\\", "/")
        path = posixpath.normpath(href) if href else ""
        if not path or path.startswith(("/", "../")) or path == ".." or ":" in href:
            raise FormatError(file, f"refused: the manifest names the item path {href!r}")
        if path not in members:
            entries.append((path, None, "", path))
            continue
        entries.append((path, members[path], posixpath.dirname(path), path))
    if not entries:
        raise FormatError(file, "the manifest lists no QTI items")
    return _read_items(entries, file)


def _read_items(entries, file: str) -> Reading:
    reading = Reading()
    for position, (name, data, category, where) in enumerate(entries, start=1):
        if data is None:
            reading.add(Skip(file, where, "the manifest names it but the zip lacks it"))
            continue
        label = name if name == file else f"{file}: {name}"
        found = _item(parse_xml(decode(data, label), label), file, where)
        if isinstance(found, Item):
            found.category = category
            found.key = found.key or position_key(file, position)
            reading.add(found)
        else:
            reading.add(found)
    return reading


def _item(root, file: str, where: str) -> Item | Skip:
    if local(root.tag) == "questestinterop":
        raise FormatError(file, "QTI 1.2 is not supported (QTI 2.1 and 3.0 are)")
    _normalize(root)
    if root.tag != "assessmentItem":
        raise FormatError(file, f"{where}: not a QTI assessment item (<{local(root.tag)}>)")
    name = root.get("title") or root.get("identifier") or ""

    def skip(reason: str) -> Skip:
        return Skip(file, where, reason, name)

    if root.find("templateDeclaration") is not None:
        return skip("a template item (its values are generated when it is shown)")
    body = root.find("itemBody")
    if body is None:
        return skip("it has no itemBody")
    found = [el for el in body.iter() if local(el.tag).endswith("interaction")]
    if not found:
        return skip("it has no interaction (nothing to answer)")
    if len(found) > 1:
        return skip(f"it has {len(found)} interactions; examsite questions have one")
    interaction = found[0]
    kind = local(interaction.tag)
    if kind != "choiceinteraction":
        return skip(INTERACTIONS.get(kind, f"a {interaction.tag}, which examsite does not have"))
    if xml_has_media(body):
        return skip("it shows an image or other media, which examsite cannot show")
    declaration = next(
        (d for d in root.findall("responseDeclaration")
         if d.get("identifier") == interaction.get("responseIdentifier")),
        None,
    )  # fmt: skip
    if declaration is None:
        return skip("no responseDeclaration matches its choiceInteraction")
    choices = interaction.findall("simpleChoice")
    ids = [c.get("identifier") for c in choices]
    correct_ids = {(v.text or "").strip() for v in declaration.iterfind("correctResponse/value")}
    if not correct_ids:
        correct_ids = {
            e.get("mapKey")
            for e in declaration.iterfind("mapping/mapEntry")
            if float(e.get("mappedValue") or 0) > 0
        }
    if not correct_ids & set(ids):
        return skip("no choice is marked correct (no correctResponse or positive mapEntry)")
    if unknown := correct_ids - set(ids):
        return skip(f"its correct response names no choice: {', '.join(sorted(unknown))}")
    if declaration.get("cardinality") == "single" and len(correct_ids) > 1:
        return skip("a single-cardinality response with several correct values")
    options, feedback = [], []
    for choice in choices:
        text = xml_to_text(choice, skip={"feedbackinline"})
        options.append((text, choice.get("identifier") in correct_ids))
        inline = [xml_to_text(f) for f in choice.iter() if local(f.tag) == "feedbackinline"]
        feedback.append((text, " ".join(inline)))
    prompt = interaction.find("prompt")
    stem = xml_to_text(
        body, skip=NOT_STEM, replace={interaction: "" if prompt is None else xml_to_text(prompt)}
    )
    general = [xml_to_text(f) for f in root.findall("modalFeedback")]
    general += [xml_to_text(f) for f in body.iter() if local(f.tag) == "feedbackblock"]
    identifier = root.get("identifier") or ""
    if root.get("toolName") == "examsite" and identifier.startswith("_"):
        identifier = identifier[1:]  # written so for keys that begin with a digit
    own_key = root.get("toolName") == "examsite" and _KEY.fullmatch(identifier)
    return Item(
        file=file,
        where=where,
        key=identifier if own_key else "",
        name=name,
        kind="single" if len(correct_ids) == 1 else "multiple",
        stem=stem,
        options=options,
        explanation=with_option_feedback("\n\n".join(filter(None, general)), feedback),
    )


def _flow(text: str) -> str:
    """Plain text as XHTML: blank lines part paragraphs, line ends become <br/>."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{'<br/>'.join(escape(line) for line in p.split(chr(10)))}</p>"
                   for p in paragraphs)  # fmt: skip


def _inline(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.split("\n"))


def item_xml(q) -> str:
    options = list(q.options.all())
    correct = [f"C{i}" for i, o in enumerate(options, start=1) if o.is_correct]
    cardinality = "single" if q.type == "single" else "multiple"
    identifier = q.key if q.key[0].isalpha() else "_" + q.key
    values = "".join(f"<value>{c}</value>" for c in correct)
    choices = "\n".join(
        f'      <simpleChoice identifier="C{i}">{_inline(o.text)}</simpleChoice>'
        for i, o in enumerate(options, start=1)
    )
    feedback = ""
    if q.explanation:
        feedback = (
            '  <modalFeedback outcomeIdentifier="FEEDBACK" identifier="EXPLANATION" '
            f'showHide="show">{_flow(q.explanation)}</modalFeedback>\n'
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="{NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
  identifier={quoteattr(identifier)} title={quoteattr(q.key)} adaptive="false"
  timeDependent="false" toolName="examsite" toolVersion="1">
  <responseDeclaration identifier="RESPONSE" cardinality="{cardinality}"
    baseType="identifier">
    <correctResponse>{values}</correctResponse>
  </responseDeclaration>
  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float">
    <defaultValue><value>0</value></defaultValue>
  </outcomeDeclaration>
  <outcomeDeclaration identifier="FEEDBACK" cardinality="single" baseType="identifier"/>
  <itemBody>
    {_flow(q.stem)}
    <choiceInteraction responseIdentifier="RESPONSE" shuffle="true" maxChoices="{len(correct)}">
{choices}
    </choiceInteraction>
  </itemBody>
  <responseProcessing>
    <responseCondition>
      <responseIf>
        <match><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></match>
        <setOutcomeValue identifier="SCORE">
          <baseValue baseType="float">1</baseValue>
        </setOutcomeValue>
      </responseIf>
    </responseCondition>
    <setOutcomeValue identifier="FEEDBACK">
      <baseValue baseType="identifier">EXPLANATION</baseValue>
    </setOutcomeValue>
  </responseProcessing>
{feedback}</assessmentItem>
"""


def write(questions) -> Written:
    buffer, resources = io.BytesIO(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for category, q in for_export(questions):
            path = f"{category}/{q.key}.xml"
            archive.writestr(path, item_xml(q))
            resources.append(
                f'    <resource identifier={quoteattr("R-" + q.key)} type="imsqti_item_xmlv2p1" '
                f"href={quoteattr(path)}><file href={quoteattr(path)}/></resource>"
            )
        archive.writestr("imsmanifest.xml", _manifest(resources))
    return Written(buffer.getvalue())


def _manifest(resources: list[str]) -> str:
    body = "\n".join(resources)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="examsite-export">
  <metadata><schema>QTIv2.1 Package</schema><schemaversion>1.0.0</schemaversion></metadata>
  <organizations/>
  <resources>
{body}
  </resources>
</manifest>
"""


register(
    Format(
        "qti", "IMS QTI 2.1/3.0 (zip package or item)", (".zip", ".xml"), read, write, ".zip",
        sniff=lambda data: data.startswith(b"PK") or b"assessmentItem" in data[:4096]
        or b"qti-assessment-item" in data[:4096],
    )
)  # fmt: skip
