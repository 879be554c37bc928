"""Smaller SVG files from matplotlib's output: the same picture in a third of the bytes.

matplotlib writes readable SVG: an RDF ``<metadata>`` block, one tag per indented line, a
``<g id="patch_12">`` around nearly every element, path data such as ``M 76 320.230769 \\nL
776 320.230769 \\n`` and, in ``<text>`` mode, the same long CSS font list on every label.
:func:`compact_svg` rewrites that output token by token:

- drops the XML declaration, the DOCTYPE, ``<metadata>`` and the whitespace between tags;
- unwraps groups that carry nothing but an id nobody references, drops other unused ids,
  and renames the clip paths and patterns ``i0``, ``i1``… (matplotlib names them by salted
  hashes such as ``p9256e6261d``, written a dozen times per chart, to be unique across
  documents, which an SVG shown as an image or read by Typst does not need); what ``<use>``
  draws keeps its name (in outlines, a glyph's names its font and glyph);
- writes path data compactly (``M76 320.2H776``): coordinates rounded to 0.1 pt (a point
  of an 800 pt chart shown full width on a retina screen moves by under 0.1 device pixel,
  of a printed one by under 0.02 mm), no optional separator, lines parallel to an axis as
  ``H``/``V``;
- rounds positions (``x``, ``y``, ``width``, ``height``, ``translate``) the same way, never a
  ``scale``, ``rotate`` angle or matrix, whose error would be multiplied;
- writes a path that is one shape drawn again and again (the dotted hatch of "not started":
  169 circles a pattern tile) as the shape once and ``<use>`` copies of it and of its rows
  (:mod:`opsbook.charts.svgrepeats`);
- compacts ``style`` attributes, writes a style shared by several elements once, as a class
  in the style sheet, and moves the font list shared by every ``<text>`` to the root
  element, where the texts inherit it; drops the no-op ``rotate(-0 x y)`` of texts.

What is kept byte for byte: the content of every ``<text>`` element (user text, its escaping
and any child element), comments (in text-as-paths output they name the string drawn), the
elements that ``url(#…)`` or ``href="#…"`` point to (clip paths, hatch patterns, glyphs,
markers), under their new names.

The input must be matplotlib's SVG (or SVG like it): attribute values and text never hold a
raw ``<`` or ``>`` (matplotlib escapes both), so a tag is ``<`` up to the next ``>``.
The output is a pure function of the input: the same bytes every run.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from opsbook.charts.svgrepeats import duplicates_as_uses, repeats_as_uses
from opsbook.charts.svgvalues import (
    FONT_FAMILY,
    INITIAL_VALUES,
    compact_css_value,
    compact_path,
    compact_style,
    compact_transform,
    css,
    round_number,
    style_declarations,
)

_TOKEN = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[^>]*>|[^<]+", re.S)
_NAME = re.compile(r"</?([^\s/>]+)")
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_REFERENCE = re.compile(r"""url\(\s*['"]?#([^)'"\s]+)|href=["']#([^"']+)""")
_URL_REFERENCE = re.compile(r"""url\(\s*['"]?#([^)'"\s]+)['"]?\s*\)""")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# in a CSS value: a quoted name (kept), a comma, a colour such as #ffffff, a leading zero
_SIMPLE_URL = re.compile(r"url\(#[\w.-]+\)")
_POSITIONS = frozenset({"x", "y", "width", "height", "cx", "cy", "r", "x1", "y1", "x2", "y2"})
_DROPPED = frozenset({"metadata"})  # whole elements left out, with their content


def compact_svg(svg: bytes) -> bytes:
    """``svg`` (matplotlib's output, UTF-8) written compactly; see the module docstring."""
    text = svg.decode("utf-8")
    if _STYLE_MARK in text or _SHEET_MARK in text:  # not XML: the marks are no XML character
        return svg
    tokens = _TOKEN.findall(text)
    context = _Context(
        referenced=_short_ids(text),
        font_family=_shared_font_family(tokens),
        uses_xlink="xlink:" in text.replace("xmlns:xlink", ""),
    )
    document = "".join(_compacted(tokens, context))
    # classes of its own: a document that has some keeps its style attributes as they are
    document = _with_style_classes(document, " class=" not in text)
    document = repeats_as_uses(_lean_patterns(document))
    return duplicates_as_uses(document).encode("utf-8")


# a hatch's tile: its position is the initial 0 0, and a transparent hatch (a band's, over
# its tint) starts with a rect that fills with nothing and has no stroke
_PATTERN_AT_ORIGIN = re.compile(r'(<pattern id="[^"]*" patternUnits="userSpaceOnUse") x="0" y="0"')
_EMPTY_TILE = re.compile(
    r'(<pattern [^>]*>)<rect x="0" y="0" width="[\d.]+" height="[\d.]+" fill="none"/>'
)
_TILE_AT_ORIGIN = re.compile(r'(<pattern [^>]*>)<rect x="0" y="0" ')


def _lean_patterns(document: str) -> str:
    """matplotlib's hatch patterns without what draws nothing: ``x="0" y="0"`` on the tile
    and its background (the initial values), a background rect that fills with ``none``
    (nothing in a pattern's ancestry sets a stroke)."""
    document = _PATTERN_AT_ORIGIN.sub(r"\1", document)
    document = _EMPTY_TILE.sub(r"\1", document)
    return _TILE_AT_ORIGIN.sub(r"\1<rect ", document)


@dataclass
class _Context:
    """What the whole document decides about each tag, and where the walk is."""

    referenced: dict[str, str]  # id pointed to → its short name
    font_family: str | None  # the font list every <text> names, moved to the root
    uses_xlink: bool
    # per open element: (written out, may set a property of INITIAL_VALUES for its children)
    open_elements: list[tuple[bool, bool]] = field(default_factory=list)
    text_depth: int = 0  # > 0 inside a <text> element: copied verbatim
    dropped_depth: int = 0  # > 0 inside a dropped element such as <metadata>
    in_style_sheet: bool = False  # inside <style>: its text is CSS
    styles: dict[tuple[str, bool, bool], str | None] = field(default_factory=dict)  # memo


def _short_ids(text: str) -> dict[str, str]:
    """Every id something points to → its new name: ``href="#id"`` targets keep theirs,
    ``url(#id)`` targets are numbered in order of first mention. Looking in the texts and
    comments too at worst keeps an id that could have gone; texts are never renamed."""
    found = _REFERENCE.findall(text)
    short = {linked: linked for _, linked in found if linked}
    numbers = (f"i{n}" for n in itertools.count())
    for target, _ in found:
        if target and target not in short:
            short[target] = next(name for name in numbers if name not in short)
    return short


def _renamed_references(key: str, value: str, short: Mapping[str, str]) -> str:
    """An attribute's value with each ``url(#id)`` (any attribute) or ``#id`` (a link)
    under the id's short name."""
    if key.endswith("href") and value.startswith("#"):
        return "#" + short.get(value[1:], value[1:])
    return _URL_REFERENCE.sub(lambda m: f"url(#{short.get(m[1], m[1])})", value)


def _shared_font_family(tokens: Sequence[str]) -> str | None:
    """The ``font-family`` of every ``<text>`` when they all name the same one (else None)."""
    families = set()
    for token in tokens:
        if token.startswith("<text") and token[5:6] in (" ", ">", "/", "\n"):
            style = _attributes(token).get("style", "")
            families.add(style_declarations(_unquoted(style)).get(FONT_FAMILY))
        elif token.startswith("<") and ("font-family" in token or "font:" in token):
            return None  # a group's font would be inherited instead of the root's
    if len(families) != 1:
        return None
    family = families.pop()
    if not family or '"' in family or "&" in family:
        return None
    return compact_css_value(family)


def _compacted(tokens: Sequence[str], context: _Context) -> Iterator[str]:
    for token in tokens:
        if context.text_depth:
            yield _inside_text(token, context)
        elif token[0] != "<":  # text between tags: whitespace, or the style sheet
            if context.in_style_sheet:
                yield css(token) + _SHEET_MARK  # where the classes go, once known
            elif not context.dropped_depth and not token.isspace():
                yield token
        elif token[1] not in "?!":
            yield _tag(token, context)
        elif not context.dropped_depth and not token.startswith(("<?xml ", "<!DOCTYPE")):
            yield token  # comments, CDATA; UTF-8 is XML's default, the DTD is never read


def _inside_text(token: str, context: _Context) -> str:
    """Everything in a ``<text>`` is copied as it is (whitespace there is text)."""
    name = _tag_name(token)
    if name == "text" and token.startswith("</"):
        context.text_depth -= 1
    elif name == "text" and not token.endswith("/>") and not token.startswith("<!"):
        context.text_depth += 1
    return token


def _tag(token: str, context: _Context) -> str:
    name = _tag_name(token)
    closing, empty = token.startswith("</"), token.endswith("/>")
    if context.dropped_depth or name in _DROPPED:
        if not empty:
            context.dropped_depth += -1 if closing else 1
        return ""
    if closing:
        return _end_tag(name, context)
    attributes = _attributes(token)
    written = name != "g" or not _is_bare_group(attributes, context)
    # before pushing: the element's own value matters to its children only
    kept = _compact_attributes(name, attributes, context) if written else []
    if name == "text" and not empty:
        context.text_depth = 1  # its end tag is seen by _inside_text
    elif not empty:
        context.open_elements.append((written, _may_set_initial_values(attributes)))
    context.in_style_sheet = name == "style" and not empty
    return _write_tag(name, kept, empty) if written else ""


def _end_tag(name: str, context: _Context) -> str:
    context.in_style_sheet = False
    if context.open_elements and not context.open_elements.pop()[0]:
        return ""
    return f"</{name}>"


def _may_set_initial_values(attributes: dict[str, str]) -> bool:
    style = attributes.get("style", "")
    return "class" in attributes or any(key in attributes or key in style for key in INITIAL_VALUES)


def _is_bare_group(attributes: dict[str, str], context: _Context) -> bool:
    """A ``<g>`` with no attribute but an unreferenced id changes nothing drawn."""
    return all(k == "id" and v not in context.referenced for k, v in attributes.items())


def _compact_attributes(
    name: str, attributes: dict[str, str], context: _Context
) -> list[tuple[str, str]]:
    kept = []
    referenced = attributes.get("id") in context.referenced
    for key, value in attributes.items():
        if key != "id" and "#" in value:
            value = _renamed_references(key, value, context.referenced)
        new = _compact_value(name, key, value, context, referenced=referenced)
        if new is not None:
            kept.append((key, new))
    if name == "use":
        kept = _translate_as_position(kept)
    kept = _clip_path_in_style(kept)
    if name == "svg":
        kept = _root_attributes(kept, context)
    if name == "style":  # CSS is the default style sheet language
        kept = [(k, v) for k, v in kept if (k, v) != ("type", "text/css")]
    return kept


def _compact_value(
    name: str, key: str, value: str, context: _Context, *, referenced: bool
) -> str | None:
    """The attribute's new value, None to leave it out; ``referenced``: some ``<use>``
    draws the element (then it inherits from there, not from its parents)."""
    if key == "id":
        return context.referenced.get(value)
    if key == "d":
        return compact_path(value)
    if key == "transform":
        return compact_transform(value, is_text=name == "text")
    if key == "style":  # ~40 styled elements, ~10 distinct styles
        memo = (
            value,
            name == "text" and context.font_family is not None,
            not any(sets for _, sets in context.open_elements) and not referenced,
        )
        if memo not in context.styles:
            context.styles[memo] = compact_style(*memo)
        return context.styles[memo]
    if key in _POSITIONS and name != "svg":  # the root's width is "800pt": left as it is
        return _NUMBER.sub(lambda m: round_number(m[0]), value)
    return value


def _root_attributes(kept: list[tuple[str, str]], context: _Context) -> list[tuple[str, str]]:
    """The root without ``version`` (SVG 1.1 is what a viewer assumes), without the xlink
    namespace when nothing uses it, with the texts' shared font list."""
    result = [
        (k, v) for k, v in kept if k != "version" and (k != "xmlns:xlink" or context.uses_xlink)
    ]
    if context.font_family is not None:
        result.append((FONT_FAMILY, context.font_family))
    return result


def _translate_as_position(kept: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``<use transform="translate(a b)">`` is ``<use x="a" y="b">`` (SVG appends the
    position's translation to the transform), shorter by a dozen bytes per glyph."""
    attributes = dict(kept)
    if "x" in attributes or "y" in attributes:
        return kept
    match = re.fullmatch(r"translate\(([^ )]+)(?: ([^ )]+))?\)", attributes.get("transform", ""))
    if match is None:
        return kept
    result = [(k, v) for k, v in kept if k != "transform"]
    x, y = match[1], match[2] or "0"
    result += [(k, v) for k, v in (("x", x), ("y", y)) if v != "0"]
    return result


def _clip_path_in_style(kept: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``clip-path="url(#p1)" style="fill:none"`` as ``style="fill:none;clip-path:url(#p1)"``:
    the same property (SVG's presentation attributes are CSS properties), and every line of
    a grid then shares one class."""
    attributes = dict(kept)
    clip, style = attributes.get("clip-path"), attributes.get("style")
    if clip is None or style is None or not _SIMPLE_URL.fullmatch(clip):
        return kept
    return [
        (k, f"{v};clip-path:{clip}" if k == "style" else v) for k, v in kept if k != "clip-path"
    ]


def _write_tag(name: str, attributes: list[tuple[str, str]], empty: bool) -> str:
    parts = [f"<{name}"]
    for key, value in attributes:
        if key == "style":  # a class if others share it: see _with_style_classes
            parts.append(f" {_STYLE_MARK}{value}{_STYLE_MARK}")
        else:
            parts.append(f" {key}={_quoted(value)}")
    parts.append("/>" if empty else ">")
    return "".join(parts)


def _quoted(value: str) -> str:
    quote = "'" if '"' in value else '"'
    return f"{quote}{value}{quote}"


def _tag_name(token: str) -> str:
    match = _NAME.match(token)
    return match[1] if match else ""


def _attributes(token: str) -> dict[str, str]:
    """Attribute name → raw value (still escaped, without its quotes)."""
    return {m[1]: m[2][1:-1] for m in _ATTRIBUTE.finditer(token)}


def _unquoted(value: str) -> str:
    return value.replace("&quot;", '"').replace("&apos;", "'")


# Styles shared by several elements, as classes.

_STYLE_MARK = "\x00"  # around a style attribute's value while the document is written
_SHEET_MARK = "\x01"  # at the end of the style sheet's text
_STYLE_MARKED = re.compile("\x00([^\x00]*)\x00")
_UNSAFE_IN_CSS = re.compile(r"[{}<>&\\]|/\*")


def _with_style_classes(document: str, allowed: bool) -> str:
    """``style="…"`` written once in the style sheet as ``.sN{…}`` when several elements
    share it (a chart has ~40 styled elements and ~10 distinct styles).

    The look is the same: a class rule (specificity 0,1,0) beats matplotlib's only other
    rule, ``*{stroke-linejoin:…}``, as the ``style`` attribute did, and sets the same
    properties on the same element (nothing is moved to a parent, nothing inherited)."""
    styles = _STYLE_MARKED.findall(document)
    seen: dict[str, int] = {}
    for style in styles:
        seen[style] = seen.get(style, 0) + 1
    shared = [s for s, count in seen.items() if count > 1 and not _UNSAFE_IN_CSS.search(s)]
    if not allowed or _SHEET_MARK not in document:
        shared = []
    names = {style: f"s{index}" for index, style in enumerate(shared)}

    def attribute(match: re.Match[str]) -> str:
        style = match[1]
        return f'class="{names[style]}"' if style in names else f"style={_quoted(style)}"

    sheet = "".join(f".{name}{{{style}}}" for style, name in names.items())
    return _STYLE_MARKED.sub(attribute, document).replace(_SHEET_MARK, sheet, 1)


# Numbers and path data.
