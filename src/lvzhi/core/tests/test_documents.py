"""The 公文 writer: layout after GB/T 9704, fonts Word and WPS recognise, page numbers, downloads."""

import datetime as dt
import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from lvzhi.core.documents import OfficialDocument, chinese_number, format_date

ISSUER = "示范市机构编制委员会办公室"


def east_asian_font(run):
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def paragraph_with(document, text):
    return next(p for p in document.paragraphs if p.text == text)


@pytest.fixture
def notice(tmp_path):
    doc = OfficialDocument(issuer=ISSUER, doc_no="示编办发〔2026〕12号", title="关于市场监管局职能运行问题的整改通知书",
                           recipient="示范市市场监督管理局")
    doc.heading("发现的问题")
    doc.paragraph("经评估，你局存在以下问题。\n请认真整改。")
    doc.heading("职责边界不清", 2)
    doc.heading("食品安全监管", 3)
    doc.heading("整改要求")
    doc.heading("明确责任", 2, body="各科室要于30日内完成整改。")
    doc.table(["序号", "问题", "得分"], [[1, "职责交叉", 85.5], [2, "边界不清", None]], widths=[1, 4, 1])
    doc.attachments(["问题清单", "整改台账模板"])
    doc.signature(ISSUER, dt.date(2026, 11, 26))
    doc.imprint(cc=["市委编办", "市纪委监委"], printed_by=ISSUER, printed_on=dt.date(2026, 11, 26))
    path = tmp_path / "整改通知书.docx"
    doc.save(path)
    return docx.Document(path)


def test_page_is_a4_with_gbt9704_margins(notice):
    section = notice.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


def test_masthead_is_red_centred_with_number_above_a_red_rule(notice):
    mark, number = notice.paragraphs[0], notice.paragraphs[1]
    assert mark.text == ISSUER and mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert str(mark.runs[0].font.color.rgb) == "FF0000"
    assert east_asian_font(mark.runs[0]) == "方正小标宋简体"
    assert number.text == "示编办发〔2026〕12号" and number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"


def test_title_is_2hao_xiaobiaosong_centred(notice):
    title = paragraph_with(notice, "关于市场监管局职能运行问题的整改通知书")
    run = title.runs[0]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert run.font.size == Pt(22)
    assert east_asian_font(run) == "方正小标宋简体"


def test_recipient_line_ends_with_full_width_colon(notice):
    recipient = paragraph_with(notice, "示范市市场监督管理局：")
    assert recipient.paragraph_format.first_line_indent is None


def test_body_is_3hao_fangsong_indented_two_characters_on_fixed_lines(notice):
    body = paragraph_with(notice, "经评估，你局存在以下问题。")
    assert paragraph_with(notice, "请认真整改。")
    run = body.runs[0]
    assert run.font.size == Pt(16)
    assert east_asian_font(run) == "仿宋_GB2312"
    fmt = body.paragraph_format
    assert fmt.first_line_indent == Pt(32)
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY and 28 <= fmt.line_spacing.pt <= 29
    assert notice.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_headings_are_numbered_and_use_heiti_kaiti_and_bold_fangsong(notice):
    first = paragraph_with(notice, "一、发现的问题")
    second = paragraph_with(notice, "（一）职责边界不清")
    third = paragraph_with(notice, "1.食品安全监管")
    assert east_asian_font(first.runs[0]) == "黑体"
    assert east_asian_font(second.runs[0]) == "楷体_GB2312"
    assert east_asian_font(third.runs[0]) == "仿宋_GB2312" and third.runs[0].font.bold
    assert paragraph_with(notice, "二、整改要求")
    run_in = paragraph_with(notice, "（一）明确责任各科室要于30日内完成整改。")  # numbering restarts under 二、
    assert [east_asian_font(r) for r in run_in.runs] == ["楷体_GB2312", "仿宋_GB2312"]


def test_table_has_header_row_and_fangsong_cells(notice):
    [table] = notice.tables
    assert [c.text for c in table.rows[0].cells] == ["序号", "问题", "得分"]
    assert [c.text for c in table.rows[1].cells] == ["1", "职责交叉", "85.5"]
    assert [c.text for c in table.rows[2].cells] == ["2", "边界不清", ""]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    cell_run = table.rows[1].cells[1].paragraphs[0].runs[0]
    assert east_asian_font(cell_run) == "仿宋_GB2312" and cell_run.font.size == Pt(14)
    assert table.rows[1].cells[1].width > table.rows[1].cells[0].width * 3


def test_attachments_signature_and_date_follow_the_standard(notice):
    assert paragraph_with(notice, "附件：1.问题清单")
    assert paragraph_with(notice, "2.整改台账模板")
    org = [p for p in notice.paragraphs if p.text == ISSUER][-1]
    date = paragraph_with(notice, "2026年11月26日")
    assert org.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # The date starts two characters right of the organisation's first character.
    org_start = org.paragraph_format.right_indent.pt + 16 * 13
    date_start = date.paragraph_format.right_indent.pt + 16 * 7
    assert org_start - date_start == 32


def test_imprint_has_cc_and_printing_lines(notice):
    cc = paragraph_with(notice, "\u3000抄送：市委编办，市纪委监委。")
    printed = next(p for p in notice.paragraphs if p.text.endswith("2026年11月26日印发"))
    assert cc.runs[0].font.size == Pt(14)
    assert printed.text.startswith(f"\u3000{ISSUER}\t")


def test_footer_has_a_page_field_between_dashes_on_odd_and_even_pages(notice):
    section = notice.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert paragraph.runs[0].font.size == Pt(14) and east_asian_font(paragraph.runs[0]) == "宋体"
    assert section.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert section.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert notice.settings.odd_and_even_pages_header_footer


def test_upward_document_shows_signer_beside_the_number(tmp_path):
    doc = OfficialDocument(issuer=ISSUER, doc_no="示编办〔2026〕3号", signer="王某", title="关于调整编制的请示",
                           recipient="市委编委")
    doc.paragraph("妥否，请批示。")
    doc.signature(ISSUER, "2026年1月5日")
    doc.note("联系人：张某，电话：1234567")
    buffer = io.BytesIO()
    doc.save(buffer)
    reopened = docx.Document(buffer)

    line = reopened.paragraphs[1]
    assert line.text == "示编办〔2026〕3号\t签发人：王某"
    assert east_asian_font(line.runs[-1]) == "楷体_GB2312"
    assert reopened.paragraphs[-1].text == "（联系人：张某，电话：1234567）"


def test_plain_report_has_no_masthead():
    doc = OfficialDocument(title="2026年第三季度考核通报")
    doc.paragraph("本季度……")
    reopened = docx.Document(io.BytesIO(doc.to_bytes()))

    assert reopened.paragraphs[0].text == "2026年第三季度考核通报"


def test_dates_and_numbers_are_written_the_chinese_way():
    assert format_date(dt.date(2026, 1, 5)) == "2026年1月5日"
    assert format_date(dt.datetime(2026, 11, 26, 23, 0)) == "2026年11月26日"
    assert [chinese_number(n) for n in (1, 10, 11, 20, 21)] == ["一", "十", "十一", "二十", "二十一"]


def test_response_is_a_docx_download_with_a_chinese_filename():
    doc = OfficialDocument(title="整改通知书")

    response = doc.to_response("整改通知书（示范市市场监管局）")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''%E6%95%B4")
    assert response["Content-Disposition"].endswith(".docx")
    assert docx.Document(io.BytesIO(response.content)).paragraphs[0].text == "整改通知书"
