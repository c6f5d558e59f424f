"""Reading files that may be hostile: XML without entities or DTDs, zips within bounds.

Nothing here fetches anything: a DTD, an external entity or a URL in a file is refused
or left as text, never followed. A zip is read in memory, member by member, and stops
at the limits below whatever sizes its headers claim.
"""

import io
import re
import xml.etree.ElementTree as ET
import zipfile

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings

from questions.interchange.schema import FormatError

MAX_MEMBERS = 2000
MAX_DEPTH = 100
# A real package compresses text perhaps tenfold; a bomb compresses a thousandfold.
MAX_RATIO = 100
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def limit() -> int:
    """The most bytes one file, or one package's members together, may hold."""
    return settings.BANK_FILE_MAX_KB * 1024


def check_size(data: bytes, file: str) -> None:
    if len(data) > limit():
        raise FormatError(
            file,
            f"the file is {len(data) // 1024} KB, over the limit of "
            f"{settings.BANK_FILE_MAX_KB} KB (BANK_FILE_MAX_KB)",
        )


def parse_xml(text: str, file: str) -> ET.Element:
    """An element tree from decoded text: no DTD, no entities, no external references."""
    try:
        # The text is decoded already, so its declaration's encoding no longer applies.
        root = fromstring(_DECLARATION.sub("", text, count=1), forbid_dtd=True)
    except DefusedXmlException as e:
        kind = type(e).__name__.replace("Forbidden", "")
        raise FormatError(
            file,
            f"refused: the XML declares a {kind.upper() if kind == 'DTD' else kind.lower()}"
            " (DTDs and entities are not read, for safety)",
        ) from None
    except ET.ParseError as e:
        raise FormatError(file, f"not well-formed XML ({e})") from None
    # The readers walk trees recursively; a deep one is refused here, before they start.
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FormatError(file, f"refused: the XML nests deeper than {MAX_DEPTH} levels")
        stack.extend((child, depth + 1) for child in element)
    return root


def _safe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return not (name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts)


def read_zip(data: bytes, file: str) -> dict[str, bytes]:
    """The members of a zip, by name; refuses unsafe names and anything past the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise FormatError(file, f"not a readable zip file ({e})") from None
    if len(infos) > MAX_MEMBERS:
        raise FormatError(file, f"the zip holds more than {MAX_MEMBERS} members")
    members, total = {}, 0
    for info in infos:
        if not _safe_name(info.filename):
            raise FormatError(
                file, f"refused: the zip member {info.filename!r} has an absolute or '..' path"
            )
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise FormatError(file, f"the zip member {info.filename!r} is encrypted")
        budget = limit() - total
        try:
            with archive.open(info) as f:
                # Read one byte past what is allowed: headers can lie about sizes.
                content = f.read(budget + 1)
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as e:
            reason = f"the zip member {info.filename!r} is unreadable ({e})"
            raise FormatError(file, reason) from None
        total += len(content)
        if len(content) > budget:
            raise FormatError(
                file,
                f"refused: the zip unpacks to more than {settings.BANK_FILE_MAX_KB} KB "
                "(BANK_FILE_MAX_KB)",
            )
        if (
            info.compress_size
            and len(content) > 1024 * 1024
            and (len(content) / info.compress_size > MAX_RATIO)
        ):
            raise FormatError(
                file, f"refused: the zip member {info.filename!r} is compressed suspiciously well"
            )
        members[info.filename.replace("\\", "/")] = content
    return members
