"""Many pages of one form fast: WeasyPrint lays each distinct page out once with its fields left blank,
and every copy draws that page (one shared Form XObject) with its own field text on top (ADR 0011).

A field is an element with `data-field="name"` (and `data-align="center"` to centre it in its box)
holding a hidden placeholder; `slots` finds where WeasyPrint put it. Text is drawn in Be Vietnam Pro
with its real advance widths and a ToUnicode map (the PDF's text reads and searches as written).
`fits` says whether a value fits its slot on one line with every glyph in the font: the caller lays
out any page that does not with WeasyPrint instead, so no value is ever cut or shown wrong."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from .pdf import font_dir

PX = 0.75  # WeasyPrint lays out in CSS px; a PDF point is 4/3 of one


@dataclass(frozen=True)
class Slot:
    """Where a field's text starts (CSS px from the page's top left), how far it may go, its style."""

    x: float
    baseline: float
    right: float
    size: float
    bold: bool
    color: tuple[float, float, float]
    center: bool = False


def slots(document) -> list[dict[str, Slot]]:
    """The field slots of each page of a laid-out WeasyPrint document."""
    found: list[dict[str, Slot]] = []
    for page in document.pages:
        fields: dict[str, Slot] = {}
        _walk(page._page_box, page._page_box, fields)
        found.append(fields)
    return found


def _walk(box, block, fields: dict[str, Slot]) -> None:
    from weasyprint.formatting_structure import boxes

    element = getattr(box, "element", None)
    name = element.get("data-field") if element is not None else None
    if element is not None and name and name not in fields:
        text = next((b for b in box.descendants() if isinstance(b, boxes.TextBox)), None)
        if text is not None:
            own = not isinstance(box, boxes.InlineBox)  # a block, cell or inline-block bounds itself
            limit = box if own else block
            center = element.get("data-align") == "center"
            red, green, blue, _alpha = text.style["color"]
            fields[name] = Slot(
                x=limit.content_box_x() if center else text.position_x,
                baseline=text.position_y + text.baseline,
                right=limit.content_box_x() + limit.width,
                size=text.style["font_size"],
                bold=text.style["font_weight"] >= 600,
                color=(red, green, blue),
                center=center,
            )
    if isinstance(box, boxes.BlockContainerBox) and not isinstance(box, boxes.InlineBox):
        block = box
    for child in getattr(box, "children", ()):
        _walk(child, block, fields)


class _Font:
    """One TTF: glyph ids and advances for drawing, and the glyphs used so far for embedding."""

    def __init__(self, file: str, tag: str) -> None:
        from fontTools.ttLib import TTFont

        self.path = font_dir() / file
        self.tag = tag
        font = TTFont(self.path)
        self.cmap = font.getBestCmap()
        self.gid = {code: font.getGlyphID(name) for code, name in self.cmap.items()}
        scale = 1000 / font["head"].unitsPerEm
        self.advance = {code: font["hmtx"].metrics[name][0] * scale for code, name in self.cmap.items()}
        head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
        self.bbox = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
        self.ascent, self.descent = round(hhea.ascent * scale), round(hhea.descent * scale)
        self.cap_height = round(getattr(os2, "sCapHeight", hhea.ascent) * scale)
        self.name = font["name"].getDebugName(6) or "BeVietnamPro"
        self.used: dict[int, int] = {}  # gid -> code point

    def encode(self, text: str) -> bytes | None:
        """The text's glyphs as big-endian ids, or None when the font lacks one."""
        out = bytearray()
        for char in text:
            code = ord(char)
            gid = self.gid.get(code)
            if gid is None:
                return None
            self.used.setdefault(gid, code)
            out += gid.to_bytes(2, "big")
        return bytes(out)

    def width(self, text: str) -> float:
        """Width in thousandths of the font size (missing glyphs count as none: `encode` refuses them)."""
        return sum(self.advance.get(ord(c), 0.0) for c in text)

    def has_all(self, text: str) -> bool:
        return all(ord(c) in self.gid for c in text)


@cache
def _fonts() -> tuple[_Font, _Font]:
    return _Font("BeVietnamPro-Regular.ttf", "GNREGU"), _Font("BeVietnamPro-Bold.ttf", "GNBOLD")


def _clean(text: str) -> str:
    # one composed code point per Vietnamese letter, as typed on most keyboards and as the font maps it
    return unicodedata.normalize("NFC", " ".join(str(text).split()))


def fits(slot: Slot, text: str) -> bool:
    """True when the text can be drawn in the slot on one line with the font's own glyphs."""
    font = _fonts()[1 if slot.bold else 0]
    text = _clean(text)
    return font.has_all(text) and slot.x + font.width(text) * slot.size / 1000 <= slot.right + 0.01


@dataclass(frozen=True)
class Filled:
    """A page drawn as template page `template` with `values` in its slots."""

    template: int
    values: dict[str, str]
    units: int = 1  # what `fill` reports to `progress` for this page


@dataclass(frozen=True)
class Copied:
    """A page copied as laid out from another PDF (one that did not fit the template)."""

    pdf: bytes
    index: int
    units: int = 1


def _draw(slot: Slot, text: str, page_height: float) -> bytes:
    regular, bold = _fonts()
    font, name = (bold, b"/GNB") if slot.bold else (regular, b"/GNR")
    text = _clean(text)
    glyphs = font.encode(text)
    if not glyphs:
        return b""
    size = slot.size * PX
    x = slot.x
    if slot.center:
        x = slot.x + (slot.right - slot.x - font.width(text) * slot.size / 1000) / 2
    r, g, b = slot.color
    return b"BT %s %.3f Tf %.3f %.3f %.3f rg %.3f %.3f Td <%s> Tj ET\n" % (
        name,
        size,
        r,
        g,
        b,
        x * PX,
        page_height - slot.baseline * PX,
        glyphs.hex().encode(),
    )


def fill(
    template_pdf: bytes,
    template_slots: list[dict[str, Slot]],
    pages: Iterable[Filled | Copied],
    progress: Callable[[int], None] = lambda n: None,
) -> bytes:
    """One PDF of `pages` in order; `progress(1)` after each page is drawn, then the file is written."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, StreamObject

    writer = PdfWriter()
    template = PdfReader(io.BytesIO(template_pdf))
    forms = []
    for page in template.pages:
        form = StreamObject()
        contents = page.get_contents()
        form.set_data(contents.get_data() if contents is not None else b"")
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject([FloatObject(v) for v in page.mediabox]),
                NameObject("/Resources"): page["/Resources"].clone(writer),
            }
        )
        forms.append((writer._add_object(form.flate_encode()), float(page.mediabox.width), float(page.mediabox.height)))
    fonts = {name: writer._add_object(DictionaryObject()) for name in ("/GNR", "/GNB")}
    copied: dict[int, PdfReader] = {}
    for item in pages:
        if isinstance(item, Copied):
            reader = copied.setdefault(id(item.pdf), PdfReader(io.BytesIO(item.pdf)))
            writer.add_page(reader.pages[item.index])
            if item.units:
                progress(item.units)
            continue
        ref, width, height = forms[item.template]
        slot_of = template_slots[item.template]
        drawn = b"q /T Do Q\n" + b"".join(
            _draw(slot_of[k], v, height) for k, v in item.values.items() if v and k in slot_of
        )
        stream = StreamObject()
        stream.set_data(drawn)
        page = writer.add_blank_page(width, height)
        page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
        page[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/XObject"): DictionaryObject({NameObject("/T"): ref}),
                NameObject("/Font"): DictionaryObject({NameObject(k): v for k, v in fonts.items()}),
            }
        )
        if item.units:
            progress(item.units)
    regular, bold = _fonts()
    for name, font in (("/GNR", regular), ("/GNB", bold)):
        holder = fonts[name].get_object()
        assert isinstance(holder, DictionaryObject)
        holder.update(_type0(writer, font))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _type0(writer, font: _Font) -> dict:
    """A Type 0 font (Identity-H, glyph ids as codes) embedding the subset of glyphs drawn."""
    from fontTools import subset
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        StreamObject,
        TextStringObject,
    )

    used = dict(sorted(font.used.items())) or {font.gid[32]: 32}
    options = subset.Options()
    options.retain_gids = True
    options.notdef_outline = True
    options.layout_features = []
    options.drop_tables += ["GPOS", "GSUB", "GDEF", "kern"]
    subsetter = subset.Subsetter(options)
    from fontTools.ttLib import TTFont

    ttf = TTFont(font.path)
    subsetter.populate(gids=list(used))
    subsetter.subset(ttf)
    data = io.BytesIO()
    ttf.save(data)
    file = StreamObject()
    file.set_data(data.getvalue())
    file[NameObject("/Length1")] = NumberObject(len(data.getvalue()))
    base = NameObject(f"/{font.tag}+{font.name}")
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): base,
            NameObject("/Flags"): NumberObject(32),
            NameObject("/FontBBox"): ArrayObject([NumberObject(v) for v in font.bbox]),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): NumberObject(font.ascent),
            NameObject("/Descent"): NumberObject(font.descent),
            NameObject("/CapHeight"): NumberObject(font.cap_height),
            NameObject("/StemV"): NumberObject(80),
            NameObject("/FontFile2"): writer._add_object(file.flate_encode()),
        }
    )
    widths = ArrayObject()
    for gid, code in used.items():
        widths += [NumberObject(gid), ArrayObject([FloatObject(round(font.advance[code], 1))])]
    cid = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType2"),
            NameObject("/BaseFont"): base,
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("Identity"),
                    NameObject("/Supplement"): NumberObject(0),
                }
            ),
            NameObject("/FontDescriptor"): writer._add_object(descriptor),
            NameObject("/W"): widths,
            NameObject("/CIDToGIDMap"): NameObject("/Identity"),
        }
    )
    lines = [f"<{gid:04x}> <{code:04x}>" for gid, code in used.items() if code <= 0xFFFF]
    chunks = [lines[i : i + 100] for i in range(0, len(lines), 100)]
    body = "".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar\n" for c in chunks)
    cmap = StreamObject()
    cmap.set_data(
        (
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        ).encode()
    )
    return {
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): base,
        NameObject("/Encoding"): NameObject("/Identity-H"),
        NameObject("/DescendantFonts"): ArrayObject([writer._add_object(cid)]),
        NameObject("/ToUnicode"): writer._add_object(cmap.flate_encode()),
    }
