"""A .docx package with the standard library: WordprocessingML parts from the templates in `templates/docx/`, zipped.

No compiled extension is needed (the one-file bundle cannot import one): the XML is written by
Jinja2 templates, every piece of user text escaped for XML, and the parts are put together with
`zipfile`. Lengths are converted here to the units the XML counts in (twips, half-points).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from functools import cache

from jinja2 import Environment, FunctionLoader, StrictUndefined
from markupsafe import Markup, escape

from .render import template_source
from .resources import resource_files

FOLDER = "docx"
"""The templates of the parts, under `templates/`: `*.j2` are rendered, the other files copied as they are."""

_EMU_PER_MM = 36000
_EMU_PER_PT = 12700
_EMU_PER_TWIP = 635

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold at all, not even escaped (controls, lone surrogates, U+FFFE, U+FFFF)."""


def twips_from_mm(mm: float) -> int:
    """Millimetres in twips (1/20 pt), rounded as Word's own tools round them (through whole EMUs)."""
    return round(int(mm * _EMU_PER_MM) / _EMU_PER_TWIP)


def twips_from_pt(pt: float) -> int:
    """Points in twips (1/20 pt), through whole EMUs."""
    return round(int(pt * _EMU_PER_PT) / _EMU_PER_TWIP)


def xml_text(text: object) -> Markup:
    """Text for XML content or an attribute value: characters XML cannot hold removed, the rest escaped."""
    return escape(_NOT_XML.sub("", str(text)))


@cache
def environment() -> Environment:
    """Jinja2 for XML: everything escaped unless a template says otherwise, `xml` for user text."""
    env = Environment(
        loader=FunctionLoader(lambda name: template_source(f"{FOLDER}/{name}")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["xml"] = xml_text
    return env


def render_part(template: str, **context: object) -> bytes:
    """A part rendered from its template (`word/document.xml.j2`), as UTF-8."""
    return environment().get_template(template).render(context).encode("utf-8")


def static_part(name: str) -> bytes:
    """A part that is the same in every document (`[Content_Types].xml`), as it is in the templates."""
    return (resource_files("templates") / FOLDER / name).read_bytes()


def zip_package(parts: Iterable[tuple[str, bytes]], when: datetime) -> bytes:
    """The parts as a .docx file, in the order given, every entry dated `when`: same parts and time, same bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 0  # the same bytes whatever system writes them
            package.writestr(info, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()
