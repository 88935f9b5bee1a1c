"""The tabular engine: reading XLSX/CSV in every encoding we meet, validation, imports, safe export."""

import csv
import datetime as dt
import io
import tracemalloc
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import models

from lvzhi.core import tabular
from lvzhi.core.tabular import Column, ImportReport, Sheet, TableError, read_table

SATISFACTION = {"满意": "satisfied", "基本满意": "fair", "不满意": "unsatisfied"}


class Kind(models.TextChoices):
    CONSULT = "consult", "咨询"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"


TICKET_COLUMNS = [
    Column("ticket_no", "工单编号", required=True),
    Column("received_at", "受理时间", aliases=("来电时间",), required=True, parse=tabular.datetime),
    Column("content", "诉求内容", required=True),
    Column("kind", "诉求类型", parse=tabular.choice(Kind, synonyms={"投拆": "投诉"})),
    Column("satisfaction", "满意度", parse=tabular.choice(SATISFACTION)),
    Column("calls", "来电次数", parse=tabular.non_negative_integer),
    Column("amount", "金额", parse=tabular.decimal),
    Column("due", "办理时限", parse=tabular.date),
    Column("urgent", "是否紧急", parse=tabular.boolean),
]

CSV_TEXT = (
    "工单编号,受理时间,诉求内容,诉求类型,满意度,来电次数,金额,办理时限,是否紧急\n"
    "GD001,2024-03-01 09:30,小区门口占道经营,投诉,满意,2,\"1,200.50\",2024-03-08,是\n"
    "GD002,2024/03/02 14:05:09,噪音扰民（𠮷祥路）,投拆,基本满意,1,0,2024/3/9,否\n"
)


def tz(*args):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime(*args))


def rows_of(path, columns=TICKET_COLUMNS, **kwargs):
    return [tuple(row) for row in read_table(path, path.name, columns, **kwargs)]


def file_error(path, columns=TICKET_COLUMNS, **kwargs):
    with pytest.raises(TableError) as caught:
        list(read_table(path, path.name, columns, **kwargs))
    return caught.value.messages


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk_or_gb18030(tmp_path, encoding):
    text = CSV_TEXT if encoding != "gbk" else CSV_TEXT.replace("𠮷", "吉")  # 𠮷 exists only in GB18030
    path = tmp_path / "tickets.csv"
    path.write_bytes(text.encode(encoding))

    rows = rows_of(path)

    assert [number for number, _, _ in rows] == [2, 3]
    assert all(errors == [] for _, _, errors in rows)
    first, second = rows[0][1], rows[1][1]
    assert first == {
        "ticket_no": "GD001", "received_at": tz(2024, 3, 1, 9, 30), "content": "小区门口占道经营", "kind": "complaint",
        "satisfaction": "satisfied", "calls": 2, "amount": Decimal("1200.50"), "due": dt.date(2024, 3, 8),
        "urgent": True,
    }
    assert second["received_at"] == tz(2024, 3, 2, 14, 5, 9)
    assert second["kind"] == "complaint"  # a synonym
    assert second["content"].startswith("噪音扰民")
    assert "𠮷" in second["content"] or encoding == "gbk"
    assert second["due"] == dt.date(2024, 3, 9) and second["urgent"] is False


def test_gbk_is_detected_even_when_the_first_chinese_byte_comes_late(tmp_path):
    header = "ticket_no,received_at,content\n"
    filler = "".join(f"A{i:05d},2024-01-01 08:00,ok\n" for i in range(5000))  # > the 64 KB sniff window
    path = tmp_path / "late.csv"
    path.write_bytes((header + filler + "B1,2024-01-01 08:00,道路积水\n").encode("gbk"))

    rows = rows_of(path, TICKET_COLUMNS[:3])

    assert rows[-1][1]["content"] == "道路积水"
    assert len(rows) == 5001


def test_headers_match_aliases_english_keys_case_and_padding(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text(" Ticket_No ,\u3000来电时间\u3000,CONTENT\nX1,2024-05-06 07:08,内容\n", encoding="utf-8")

    [(number, values, errors)] = rows_of(path)

    assert (number, errors) == (2, [])
    assert values["ticket_no"] == "X1" and values["received_at"] == tz(2024, 5, 6, 7, 8) and values["content"] == "内容"
    assert values["kind"] is None  # absent optional column


def test_xlsx_reads_native_datetimes_serial_numbers_and_numbers_as_text(tmp_path):
    path = tmp_path / "tickets.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["12345热线工单明细（2024年3月）"])  # a title row above the header is skipped
    sheet.append(["工单编号", "受理时间", "诉求内容", "来电次数", "办理时限", "金额"])
    sheet.append([202403010001, dt.datetime(2024, 3, 1, 9, 30), "占道经营", 3, dt.datetime(2024, 3, 8), 12.5])
    sheet.append([None, None, None])
    sheet.append(["GD2", 45352.5, "  噪音  ", 1.0, 45359, -2])
    book.save(path)

    rows = rows_of(path)

    assert [(n, e) for n, _, e in rows] == [(3, []), (5, [])]
    first, second = rows[0][1], rows[1][1]
    assert first["ticket_no"] == "202403010001"
    assert first["received_at"] == tz(2024, 3, 1, 9, 30)
    assert first["due"] == dt.date(2024, 3, 8)
    assert first["amount"] == Decimal("12.5")
    assert second["received_at"] == tz(2024, 3, 1, 12, 0)  # Excel serial 45352.5
    assert second["due"] == dt.date(2024, 3, 8)
    assert second["content"] == "噪音" and second["calls"] == 1 and second["amount"] == Decimal("-2")


def test_xlsx_sheet_can_be_chosen_by_name(tmp_path):
    path = tmp_path / "two.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["别的表"])
    other = book.create_sheet("退单")
    other.append(["工单编号", "受理时间", "诉求内容"])
    other.append(["T1", "2024-01-01 00:00", "x"])
    book.save(path)

    assert rows_of(path, sheet="退单")[0][1]["ticket_no"] == "T1"
    assert "没有工作表“不存在”" in file_error(path, sheet="不存在")[0]


def test_bad_values_are_reported_per_row_and_field_and_every_bad_row_is_listed(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text(
        "工单编号,受理时间,诉求内容,诉求类型,满意度,来电次数,金额,办理时限,是否紧急\n"
        "GD1,2024-01-01 08:00,好的一行,咨询,,,,,\n"
        "\n"
        ",,,,,,,,\n"
        "GD2,2024-13-01,x,咨询,,,,,\n"
        "GD3,2024-01-01 08:00,x,闲聊,很好,-1,abc,2024-02-30,也许\n"
        ",2024-01-01 08:00,,,,,,,\n",
        encoding="utf-8",
    )

    rows = rows_of(path)

    assert [n for n, _, _ in rows] == [2, 5, 6, 7]  # blank rows skipped, numbering kept
    assert rows[0][2] == []
    assert rows[1][2] == ["文件 tickets.csv 第5行，字段“受理时间”：无法识别的时间“2024-13-01”，应为 YYYY-MM-DD HH:MM[:SS]"]
    errors = rows[2][2]
    assert errors == [
        "文件 tickets.csv 第6行，字段“诉求类型”：无效的取值“闲聊”，应为：咨询、投诉、举报",
        "文件 tickets.csv 第6行，字段“满意度”：无效的取值“很好”，应为：满意、基本满意、不满意",
        "文件 tickets.csv 第6行，字段“来电次数”：不能为负数“-1”",
        "文件 tickets.csv 第6行，字段“金额”：无法识别的数值“abc”",
        "文件 tickets.csv 第6行，字段“办理时限”：无法识别的日期“2024-02-30”，应为 YYYY-MM-DD",
        "文件 tickets.csv 第6行，字段“是否紧急”：无法识别的取值“也许”，应为 是 或 否",
    ]
    assert rows[3][2] == ["文件 tickets.csv 第7行，字段“工单编号”：不能为空", "文件 tickets.csv 第7行，字段“诉求内容”：不能为空"]


def test_missing_required_column_is_reported_with_the_file_name(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("工单编号,诉求内容\nA,b\n", encoding="utf-8")

    messages = file_error(path)

    assert messages[0] == "文件 tickets.csv 第1行表头：缺少必填列“受理时间”（也可写作 received_at）"
    assert messages[-1].startswith("可用的列：工单编号（ticket_no）")


def test_unknown_and_duplicate_headers_are_reported(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("工单编号,受理时间,诉求内容,ticket_no,来电号码\n", encoding="utf-8")

    messages = file_error(path)

    assert "文件 tickets.csv 第1行表头：列“工单编号”与“ticket_no”重复，都表示“工单编号”" in messages
    assert "文件 tickets.csv 第1行表头：无法识别的列“来电号码”" in messages


def test_unknown_headers_can_be_ignored_on_request(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("工单编号,受理时间,诉求内容,来电号码\nA,2024-01-01 00:00,c,123\n", encoding="utf-8")

    reader = read_table(path, path.name, TICKET_COLUMNS, ignore_unknown=True)
    [(_, values, errors)] = [tuple(r) for r in reader]

    assert errors == [] and "来电号码" not in values
    assert reader.present == {"ticket_no", "received_at", "content"}


@pytest.mark.parametrize("name, content, expected", [
    ("tickets.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n", "文件 tickets.xlsx：不是有效的 Excel（.xlsx）文件"),
    ("tickets.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n", "文件 tickets.csv：不是 CSV 文本文件（实际是 .pdf 文件）"),
    ("tickets.csv", bytes(range(256)) * 40, "文件 tickets.csv：不是 CSV 文本文件"),
    ("tickets.xlsx", b"PK\x03\x04 not really a zip archive at all", "文件 tickets.xlsx：不是有效的 Excel（.xlsx）文件"),
    ("tickets.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "文件 tickets.xls：是旧版 Excel（.xls）"),
    ("tickets.docx", b"hello", "文件 tickets.docx：不支持的文件类型“.docx”"),
    ("tickets.csv", b"", "文件 tickets.csv：文件为空"),
])
def test_a_file_that_is_not_a_table_gets_one_clear_message(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)

    messages = file_error(path)

    assert len(messages) == 1 and messages[0].startswith(expected)


def test_a_csv_that_switches_encoding_midway_names_the_line(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("工单编号,受理时间,诉求内容\n".encode() + b"A,2024-01-01 08:00,x\n" * 20000
                     + "B,2024-01-01 08:00,乱码\n".encode("gbk"))

    assert file_error(path) == ["文件 mixed.csv：第20002行含有无法按 UTF-8 解码的字符，请另存为 UTF-8 编码的 CSV 后再导入"]


def test_a_workbook_uploaded_with_a_csv_name_is_still_read(tmp_path):
    path = tmp_path / "tickets.csv"
    tabular.write_xlsx(path, [Sheet("工单", ["工单编号", "受理时间", "诉求内容"], [["A", "2024-01-01 10:00", "c"]])])

    assert rows_of(path)[0][1]["ticket_no"] == "A"


def test_reader_accepts_file_objects_and_text_streams():
    upload = io.BytesIO("工单编号,受理时间,诉求内容\nA,2024-01-01 10:00,内容\n".encode("gb18030"))
    text = io.StringIO("工单编号,受理时间,诉求内容\nB,2024-01-01 10:00,内容\n")

    assert [r.values["ticket_no"] for r in read_table(upload, "u.csv", TICKET_COLUMNS)] == ["A"]
    assert [r.values["ticket_no"] for r in read_table(text, "t.csv", TICKET_COLUMNS)] == ["B"]


def test_reading_a_large_csv_streams_in_bounded_memory(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("工单编号,受理时间,诉求内容,来电次数\n")
        for i in range(200_000):
            out.write(f"GD{i:07d},2024-01-01 08:{i % 60:02d},市民反映第{i}号路段路灯不亮，请尽快处理,{i % 5}\n")
    columns = TICKET_COLUMNS[:3] + [TICKET_COLUMNS[5]]

    tracemalloc.start()
    try:
        count = sum(1 for row in read_table(path, path.name, columns) if row.ok)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == 200_000
    assert peak < 50 * 1024 * 1024


def test_parsers_accept_full_width_digits_and_reject_csv_serials():
    assert tabular.integer("１,２３４") == 1234
    assert tabular.date("2024年3月9日") == dt.date(2024, 3, 9)
    assert tabular.boolean("TRUE") is True and tabular.boolean(0) is False
    with pytest.raises(tabular.ParseError):
        tabular.datetime("45352.5")  # a serial number only means a date inside a workbook
    with pytest.raises(tabular.ParseError):
        tabular.integer("1.5")
    with pytest.raises(tabular.ParseError) as caught:
        tabular.required_text("   ")
    assert str(caught.value) == "不能为空"


def test_collect_separates_good_rows_and_caller_checks_reject_more(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("工单编号,受理时间,诉求内容\nA,2024-01-01 10:00,x\nA,2024-01-01 10:00,y\nB,bad,z\n", encoding="utf-8")

    good, report = tabular.collect(read_table(path, path.name, TICKET_COLUMNS))
    seen = set()
    for row in good:
        if row.values["ticket_no"] in seen:
            row.add_error("文件中重复出现", "ticket_no")
        seen.add(row.values["ticket_no"])
    good = report.keep_valid(good)

    assert [r.number for r in good] == [2]
    assert report.rows == 3 and not report.ok
    assert [n for n, _ in report.rejected] == [3, 4]  # by row number, whichever check found it first
    assert report.rejected[0][1] == ["文件 tickets.csv 第3行，字段“工单编号”：文件中重复出现"]
    assert report.lines()[0] == "文件 tickets.csv：共 3 行，其中 2 行有错误，未写入任何数据。请修改后重新导入。"


def test_collect_reports_a_bad_file_instead_of_raising(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")

    good, report = tabular.collect(read_table(path, path.name, TICKET_COLUMNS))

    assert good == [] and report.errors
    assert report.lines()[0] == "文件 tickets.csv：无法导入，未写入任何数据。"
    assert report.to_dict()["errors"] == report.errors


GROUP_COLUMNS = [Column("name", "名称", required=True), Column("size", "人数", parse=tabular.non_negative_integer)]


def _write_groups(batch, report):
    for row in batch:
        if row.values["name"] == "保留":
            row.add_error("该名称已被系统保留", "name")
            continue
        _, created = Group.objects.get_or_create(name=row.values["name"])
        if created:
            report.created += 1
        else:
            report.unchanged += 1


def _no_writes(batch, report):
    raise AssertionError("a file with a bad row must not reach the writer")


@pytest.mark.django_db
def test_a_file_with_any_bad_row_is_checked_completely_and_nothing_is_written(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text("名称,人数\n甲组,1\n乙组,2\n丙组,-5\n", encoding="utf-8")

    report = tabular.import_rows(read_table(path, path.name, GROUP_COLUMNS), _no_writes, batch_size=1)

    assert not report.committed and report.created == 0 and report.rows == 3
    assert not Group.objects.exists()
    assert report.to_dict()["rejected"] == [{"row": 4, "messages": ["文件 groups.csv 第4行，字段“人数”：不能为负数“-5”"]}]


@pytest.mark.django_db
def test_import_can_be_allowed_to_keep_the_good_rows(tmp_path):
    Group.objects.create(name="乙组")
    path = tmp_path / "groups.csv"
    path.write_text("名称,人数\n甲组,1\n乙组,2\n丙组,-5\n保留,1\n", encoding="utf-8")

    report = tabular.import_rows(read_table(path, path.name, GROUP_COLUMNS), _write_groups, partial=True)

    assert report.committed
    assert (report.created, report.unchanged, report.rejected_count) == (1, 1, 2)
    assert set(Group.objects.values_list("name", flat=True)) == {"甲组", "乙组"}
    assert report.lines()[0] == "文件 groups.csv：共 4 行，新增 1 条，更新 0 条，未变 1 条，拒绝 2 行（其余正确的行已导入）。"
    assert "文件 groups.csv 第5行，字段“名称”：该名称已被系统保留" in report.lines()


@pytest.mark.django_db
def test_dry_run_reports_what_would_happen_and_writes_nothing(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text("名称\n甲组\n乙组\n", encoding="utf-8")
    seen = []

    report = tabular.import_rows(read_table(path, path.name, GROUP_COLUMNS), _write_groups, dry_run=True,
                                 progress=lambda *args: seen.append(args))

    assert report.created == 2 and not report.committed and not Group.objects.exists()
    assert "本次为预检，未写入" in report.lines()[0]
    assert seen == [("检查", 2, None), ("写入", 2, 2)]


@pytest.mark.django_db
def test_a_row_refused_while_writing_rolls_back_the_rows_written_before_it(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text("名称\n甲组\n乙组\n保留\n", encoding="utf-8")

    report = tabular.import_rows(read_table(path, path.name, GROUP_COLUMNS), _write_groups, batch_size=1)

    assert not report.committed and report.created == 0
    assert not Group.objects.exists()
    assert report.rejected == [(4, ["文件 groups.csv 第4行，字段“名称”：该名称已被系统保留"])]


def test_import_rows_refuses_a_one_shot_iterator():
    with pytest.raises(TypeError):
        tabular.import_rows(iter([]), _no_writes)


def test_import_of_an_unreadable_file_reports_it(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text("别的列\n1\n", encoding="utf-8")

    report = tabular.import_rows(read_table(path, path.name, GROUP_COLUMNS), _no_writes)

    assert report.errors[0] == "文件 groups.csv 第1行表头：无法识别的列“别的列”"
    assert not report.committed


def test_report_lists_at_most_max_listed_rows():
    report = ImportReport(filename="x.csv")
    report.MAX_LISTED = 2
    for n in range(5):
        report.reject(tabular.Row(n + 2, {}, [f"第{n + 2}行错"], None))

    assert report.rejected_count == 5 and len(report.rejected) == 2
    assert "……另有 3 行有错误，未逐条列出。" in report.lines()


def test_export_neutralises_formula_injection_but_keeps_numbers(tmp_path):
    header = ["内容", "数值"]
    rows = [["=HYPERLINK(\"http://x\",\"点我\")", -3], ["+1+cmd|' /C calc'!A0", Decimal("-2.50")], ["-2+3", 4.5],
            ["@SUM(A1)", 0], ["\tTAB", -1], ["-3", None], ["正常文本", True]]
    xlsx, csv_path = tmp_path / "out.xlsx", tmp_path / "out.csv"

    tabular.write_xlsx(xlsx, [Sheet("导出", header, rows)])
    tabular.write_csv(csv_path, header, rows)

    sheet = openpyxl.load_workbook(xlsx).active
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [v[0] for v in values] == ["'=HYPERLINK(\"http://x\",\"点我\")", "'+1+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)",
                                      "'\tTAB", "-3", "正常文本"]
    assert [v[1] for v in values] == [-3, -2.5, 4.5, 0, -1, None, "是"]
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width >= 8

    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == [v[0] for v in values]
    assert [line[1] for line in lines[1:]] == ["-3", "-2.50", "4.5", "0", "-1", "", "是"]


def test_export_writes_aware_datetimes_in_local_time_and_strips_control_characters(tmp_path):
    path = tmp_path / "out.xlsx"

    tabular.write_xlsx(path, [("工单", ["时间", "内容"], [[tz(2024, 1, 2, 3, 4), "坏\x07字符"]])])

    sheet = openpyxl.load_workbook(path).active
    assert sheet["A2"].value == dt.datetime(2024, 1, 2, 3, 4)
    assert sheet["B2"].value == "坏字符"


def test_a_sheet_longer_than_excel_allows_continues_on_another_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "EXCEL_MAX_ROWS", 3)  # header + 2 rows per sheet
    path = tmp_path / "long.xlsx"

    tabular.write_xlsx(path, [Sheet("工单", ["编号"], ([i] for i in range(5)))])

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["工单", "工单（2）", "工单（3）"]
    assert [[c.value for c in r] for r in book["工单（3）"].iter_rows()] == [["编号"], [4]]


def test_exported_xlsx_reads_back_through_the_engine(tmp_path):
    path = tmp_path / "roundtrip.xlsx"
    tabular.write_xlsx(path, [Sheet("工单", ["工单编号", "受理时间", "诉求内容"],
                                    [["GD1", tz(2024, 6, 1, 12, 0), "内容"]])])

    [(_, values, errors)] = rows_of(path)

    assert errors == [] and values["received_at"] == tz(2024, 6, 1, 12, 0)


def test_download_responses_carry_chinese_filenames():
    xlsx = tabular.xlsx_response("工单导出", [Sheet("工单", ["编号"], [[1]])])
    stream = tabular.csv_response("工单导出", ["编号"], [["=1"]])

    assert xlsx["Content-Type"] == tabular.XLSX_CONTENT_TYPE
    assert xlsx["Content-Disposition"] == "attachment; filename*=utf-8''%E5%B7%A5%E5%8D%95%E5%AF%BC%E5%87%BA.xlsx"
    assert openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active["A2"].value == 1
    assert stream["Content-Disposition"].endswith(".csv")
    assert stream["Content-Type"] == "text/csv; charset=utf-8"
    assert b"".join(stream.streaming_content).decode("utf-8-sig") == "编号\r\n'=1\r\n"
