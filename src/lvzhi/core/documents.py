"""The one writer of official documents (公文) as .docx, laid out after GB/T 9704-2012.

整改通知书, reports, 季度考核通报 and 请示 all build an ``OfficialDocument`` and add headings,
paragraphs, tables, attachments and a signature; the layout rules (paper, margins, fonts, sizes,
line pitch, page numbers) live here once. See docs/tabular-and-documents.md.
"""

import io
import re
from datetime import date as date_type, datetime as datetime_type
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Font names as Word and WPS know them; the East Asian name is what actually renders Chinese.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
PAGE_NUMBER_FONT = "宋体"

# Chinese type sizes in points (字号).
SIZES = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
         "四号": 14, "小四": 12}
TITLE_SIZE = SIZES["二号"]
BODY_SIZE = SIZES["三号"]
PAGE_NUMBER_SIZE = SIZES["四号"]

RED = RGBColor(0xFF, 0x00, 0x00)
LINE = Pt(28.95)  # 22 lines in the 225 mm type area, as GB/T 9704 asks
TEXT_WIDTH = Mm(210 - 28 - 26)  # 156 mm type area


def format_date(value):
    """A date in the official form: 2026年11月26日 (no leading zeros)."""
    if isinstance(value, datetime_type):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日"


def chinese_number(n):
    """1 → 一, 10 → 十, 21 → 二十一 (up to 99, which headings never exceed)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


_HEADING_NUMBERS = {
    1: lambda n: f"{chinese_number(n)}、",
    2: lambda n: f"（{chinese_number(n)}）",
    3: lambda n: f"{n}.",
    4: lambda n: f"（{n}）",
}
_ALREADY_NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|[（(]\d+[）)])")


def set_font(run, name, size, *, bold=False, color=None):
    """Font of a run, including w:eastAsia — without it Word and WPS show Chinese in a fallback font."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = True if bold else None
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    return run


def _chars_width(text):
    # Width in full-width characters: ASCII digits and letters take half a character.
    return sum(0.5 if ord(ch) < 0x80 else 1 for ch in text)


# Children of w:pPr that must follow w:pBdr (WordprocessingML fixes the order; Word rejects others).
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")
_BORDER_SIDES = ("top", "left", "bottom", "right", "between", "bar")


def _border(paragraph, side, size_eighths, color="000000", space=1):
    """A rule above or below a paragraph, as wide as the type area; ``size_eighths`` in 1/8 pt."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_PBDR)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    later = {qn(f"w:{s}") for s in _BORDER_SIDES[_BORDER_SIDES.index(side) + 1:]}
    successor = next((child for child in borders if child.tag in later), None)
    if successor is None:
        borders.append(line)
    else:
        successor.addprevious(line)


def _add_page_field(paragraph):
    """A PAGE field (begin/instr/separate/result/end) so Word and WPS fill in each page's number."""
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = set_font(paragraph.add_run(), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


class OfficialDocument:
    """A 公文 being written. Add content in reading order, then ``save`` or ``to_response``.

    ``issuer`` (发文机关标志, e.g. 示范市机构编制委员会办公室) and ``doc_no`` (示编办发〔2026〕12号)
    make the red 版头; leave them out for a plain report. ``signer`` marks an upward document
    (请示/报告 to a superior): 发文字号 moves left and 签发人 appears on the right.
    """

    def __init__(self, *, title, issuer=None, doc_no=None, recipient=None, signer=None):
        self.document = Document()
        self.title = title
        self._numbers = {1: 0, 2: 0, 3: 0, 4: 0}
        self._setup_page()
        self._setup_styles()
        self.document.core_properties.title = title
        self.document.core_properties.author = issuer or ""
        if issuer:
            self._masthead(issuer, doc_no, signer)
        self._title(title, below_masthead=bool(issuer))
        if recipient:
            text = recipient if recipient.endswith(("：", ":")) else recipient + "："
            self._paragraph(text, BODY_FONT, BODY_SIZE, indent_chars=0)

    # -- page and styles -----------------------------------------------------------------------

    def _setup_page(self):
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        # The page number's top sits 7 mm below the type area; the footer distance is to its bottom edge.
        section.footer_distance = Emu(Mm(35 - 7) - Pt(PAGE_NUMBER_SIZE * 1.3))
        self.document.settings.odd_and_even_pages_header_footer = True
        # GB/T 9704: odd pages' numbers sit right, even pages' left, each one character in.
        sides = ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT))
        for footer, align in sides:
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align
            fmt = paragraph.paragraph_format
            fmt.first_line_indent = 0
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                fmt.right_indent = Pt(PAGE_NUMBER_SIZE)
            else:
                fmt.left_indent = Pt(PAGE_NUMBER_SIZE)
            set_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
            _add_page_field(paragraph)
            set_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)

    def _setup_styles(self):
        styles = self.document.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)  # theme fonts would override the names below
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
            fonts.set(qn(attr), BODY_FONT)
        lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        normal = styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = Pt(BODY_SIZE)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = LINE
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.widow_control = False  # 公文 keeps its fixed 22-line grid

    def _paragraph(self, text, font, size, *, bold=False, color=None, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                   indent_chars=2, line=LINE, before=None, after=None):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        if line is None:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            fmt.line_spacing = line
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        if indent_chars:
            fmt.first_line_indent = Pt(size * indent_chars)
            # WPS and Word keep a character-based indent right when the font size changes.
            paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), str(indent_chars * 100))
        if before is not None:
            fmt.space_before = before
        if after is not None:
            fmt.space_after = after
        if text:
            set_font(paragraph.add_run(text), font, size, bold=bold, color=color)
        return paragraph

    # -- 版头 and title ------------------------------------------------------------------------

    def _masthead(self, issuer, doc_no, signer):
        # The mark shrinks to stay on one line across the 156 mm type area, up to 初号.
        size = min(SIZES["初号"], int(TEXT_WIDTH.pt / max(_chars_width(issuer), 1)))
        top = Mm(80 if signer else 35)  # upward documents leave room for the approver's notes
        mark = self._paragraph(issuer, TITLE_FONT, size, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER,
                               indent_chars=0, line=None, before=top)
        if not doc_no:
            _border(mark, "bottom", 12, "FF0000", space=11)
            return
        if signer:
            line = self._paragraph(doc_no, BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT, indent_chars=0,
                                   before=Emu(LINE * 2))
            # 发文字号 one character in from the left, 签发人 one character in from the right.
            fmt = line.paragraph_format
            fmt.left_indent = Pt(BODY_SIZE)
            fmt.tab_stops.add_tab_stop(Emu(TEXT_WIDTH - Pt(BODY_SIZE)), WD_TAB_ALIGNMENT.RIGHT)
            set_font(line.add_run("\t签发人："), BODY_FONT, BODY_SIZE)
            set_font(line.add_run(signer), HEADING_FONTS[2], BODY_SIZE)
        else:
            line = self._paragraph(doc_no, BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0,
                                   before=Emu(LINE * 2))
        _border(line, "bottom", 12, "FF0000", space=11)  # the red separator, 4 mm below the number

    def _title(self, title, below_masthead):
        # Two blank lines below the red rule, one blank line above what follows.
        paragraph = self._paragraph(None, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0,
                                    line=Pt(35), before=Emu(LINE * 2) if below_masthead else None, after=LINE)
        for i, part in enumerate(title.split("\n")):
            run = set_font(paragraph.add_run(part), TITLE_FONT, TITLE_SIZE)
            if i:
                run._r.addprevious(OxmlElement("w:br"))

    # -- body ----------------------------------------------------------------------------------

    def heading(self, text, level=1, *, number=True, body=None):
        """A heading: 1 一、(黑体), 2 （一）(楷体), 3 1.(仿宋 bold), 4 （1）(仿宋).

        The number is added unless ``number`` is false or the text already starts with one.
        ``body`` continues in body type on the same line, as in “（一）加强领导。各部门要……”.
        """
        if level not in _HEADING_NUMBERS:
            raise ValueError(f"heading level must be 1–4, not {level}")
        self._numbers[level] += 1
        for deeper in range(level + 1, 5):
            self._numbers[deeper] = 0
        if number and not _ALREADY_NUMBERED.match(text):
            text = _HEADING_NUMBERS[level](self._numbers[level]) + text
        paragraph = self._paragraph(text, HEADING_FONTS[level], BODY_SIZE, bold=level == 3)
        if body:
            set_font(paragraph.add_run(body), BODY_FONT, BODY_SIZE)
        else:
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def paragraph(self, text):
        """Body text; each line of ``text`` becomes a paragraph indented two characters."""
        lines = [line.strip() for line in str(text).splitlines() if line.strip()]
        return [self._paragraph(line, BODY_FONT, BODY_SIZE) for line in lines]

    def table(self, header, rows, widths=None, *, font_size=SIZES["四号"]):
        """A bordered table with a header row repeated on every page; ``widths`` are relative weights."""
        header = [str(h) for h in header]
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        weights = list(widths) if widths else [max(_chars_width(h), 2) for h in header]
        total = sum(weights)
        column_widths = [Emu(int(TEXT_WIDTH * w / total)) for w in weights]
        for column, width in zip(table.columns, column_widths):
            column.width = width
        header_row = table.rows[0]
        header_pr = header_row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header_pr.append(repeat)
        for cell, text, width in zip(header_row.cells, header, column_widths):
            self._cell(cell, text, width, HEADING_FONTS[1], font_size, WD_ALIGN_PARAGRAPH.CENTER)
        for values in rows:
            cells = table.add_row().cells
            for cell, value, width in zip(cells, values, column_widths):
                numeric = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
                align = WD_ALIGN_PARAGRAPH.CENTER if numeric else WD_ALIGN_PARAGRAPH.LEFT
                self._cell(cell, _cell_text(value), width, BODY_FONT, font_size, align)
        return table

    @staticmethod
    def _cell(cell, text, width, font, size, align):
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = 0
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        for i, part in enumerate(text.split("\n")):
            run = set_font(paragraph.add_run(part), font, size)
            if i:
                run._r.addprevious(OxmlElement("w:br"))

    def attachments(self, names):
        """附件说明: “附件：1.名称”, later names aligned under the first (GB/T 9704 7.3.6)."""
        names = [str(n) for n in names]
        if not names:
            return []
        paragraphs = []
        for i, name in enumerate(names, 1):
            label = name if len(names) == 1 else f"{i}.{name}"
            paragraph = self._paragraph(("附件：" if i == 1 else "") + label, BODY_FONT, BODY_SIZE, indent_chars=0,
                                        before=LINE if i == 1 else None)
            fmt = paragraph.paragraph_format
            fmt.left_indent = Pt(BODY_SIZE * 5)  # two characters in, then “附件：”
            if i == 1:
                fmt.first_line_indent = Pt(-BODY_SIZE * 3)
            paragraphs.append(paragraph)
        return paragraphs

    def signature(self, org, date=None):
        """落款 without a seal (GB/T 9704 7.3.5.2): org two characters from the right, date below it
        starting two characters further right; a longer date keeps two characters and pushes org left."""
        date_text = date if isinstance(date, str) else format_date(date or timezone.localdate())
        org_width, date_width = _chars_width(org), _chars_width(date_text)
        org_right, date_right = 2, org_width - date_width
        if date_right < 2:
            date_right, org_right = 2, date_width + 4 - org_width
        first = self._paragraph(org, BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, indent_chars=0, before=LINE)
        first.paragraph_format.right_indent = Pt(BODY_SIZE * org_right)
        second = self._paragraph(date_text, BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, indent_chars=0)
        second.paragraph_format.right_indent = Pt(BODY_SIZE * date_right)
        return first, second

    def note(self, text):
        """附注 (e.g. 联系人和电话 on a 请示), in parentheses below the date."""
        text = text if text.startswith("（") else f"（{text}）"
        return self._paragraph(text, BODY_FONT, BODY_SIZE)

    def imprint(self, *, cc=None, printed_by=None, printed_on=None):
        """版记: 抄送 and 印发机关/印发日期 between a thick top and bottom rule, in 4号仿宋."""
        size = SIZES["四号"]
        paragraphs = []
        if cc:
            names = "，".join(cc) if not isinstance(cc, str) else cc
            text = f"\u3000抄送：{names.rstrip('。')}。"
            paragraphs.append(self._paragraph(text, BODY_FONT, size, align=WD_ALIGN_PARAGRAPH.LEFT, indent_chars=0,
                                              before=LINE))
        if printed_by or printed_on:
            when = printed_on if isinstance(printed_on, str) else format_date(printed_on or timezone.localdate())
            line = self._paragraph(f"\u3000{printed_by or ''}", BODY_FONT, size, align=WD_ALIGN_PARAGRAPH.LEFT,
                                   indent_chars=0, before=None if paragraphs else LINE)
            line.paragraph_format.tab_stops.add_tab_stop(Emu(TEXT_WIDTH - Pt(size)), WD_TAB_ALIGNMENT.RIGHT)
            set_font(line.add_run(f"\t{when}印发"), BODY_FONT, size)
            paragraphs.append(line)
        if not paragraphs:
            return []
        _border(paragraphs[0], "top", 8)  # thick rules 0.35 mm, the middle one thin 0.25 mm
        if len(paragraphs) == 2:
            _border(paragraphs[0], "bottom", 6)
        _border(paragraphs[-1], "bottom", 8)
        return paragraphs

    def page_break(self):
        self.document.add_page_break()

    # -- output --------------------------------------------------------------------------------

    def save(self, path_or_fileobj):
        self.document.save(path_or_fileobj)

    def to_bytes(self):
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()

    def to_response(self, filename=None):
        """A download of the document; a Chinese filename is sent as RFC 5987 ``filename*``."""
        filename = filename or self.title.replace("\n", "")
        if not filename.lower().endswith(".docx"):
            filename += ".docx"
        response = HttpResponse(self.to_bytes(), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime_type):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{format_date(local)} {local:%H:%M}"
    if isinstance(value, date_type):
        return format_date(value)
    return str(value)
