"""Importing tickets and returns files (interchange.md §3): real XLSX and CSV files in UTF-8,
UTF-8 with BOM and GBK, bad rows refused by row and field, the good-rows choice, idempotent
re-import, unmatched department names, the upload page's background job and the command."""

import csv
import datetime as dt

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.roles import Role
from lvzhi.testing import client_for, make_department, make_user

from .. import services
from ..models import DepartmentAlias, ImportRun, Ticket, TicketReturn

HEADER = ["工单编号", "受理时间", "诉求内容", "诉求类型", "诉求地址", "承办单位", "办结时间", "办理结果", "满意度"]
RETURN_HEADER = ["工单编号", "退单时间", "退单单位", "退单原因", "改派单位"]


@pytest.fixture
def departments(db):
    return {
        "SCJGJ": make_department("SCJGJ", "示范市市场监督管理局", short_name="市场监管局"),
        "CGJ": make_department("CGJ", "示范市城市管理局", short_name="市城管局"),
    }


def rows():
    return [
        ["H0001", "2025-03-03 09:15:00", "人民路烧烤店占道经营", "投诉", "人民路1号", "示范市城市管理局", "2025-03-05 10:00",
         "已处理", "满意"],
        ["H0002", "2025/03/04 10:20", "超市卖过期牛奶", "举报", "", "市场监管局", "", "", ""],
        ["H0003", "2025-03-05 08:00:00", "咨询营业执照办理", "咨询", "", "SCJGJ", "2025-03-06 09:00:00", "已答复",
         "基本满意"],
    ]


def write_csv(path, header, data, encoding):
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(data)
    return path


def write_xlsx(path, header, data):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in data:
        sheet.append(row)
    book.save(path)
    return path


def run(tickets=None, returns=None, **kwargs):
    return services.import_paths(None, tickets, returns, **kwargs)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_imports_every_ticket(tmp_path, departments, encoding):
    path = write_csv(tmp_path / "工单.csv", HEADER, rows(), encoding)
    record, outcome = run(path)
    assert outcome.committed and outcome.tickets.created == 3
    ticket = Ticket.objects.get(ticket_no="H0002")
    assert ticket.handler == departments["SCJGJ"] and ticket.kind == "report" and ticket.closed_at is None
    assert ticket.received_at == dt.datetime(2025, 3, 4, 2, 20, tzinfo=dt.timezone.utc)  # 10:20 in Shanghai
    assert Ticket.objects.get(ticket_no="H0001").handler == departments["CGJ"]
    assert Ticket.objects.get(ticket_no="H0003").satisfaction == "basic" and record.status == ImportRun.Status.DONE


def test_xlsx_with_date_cells_and_header_aliases(tmp_path, departments):
    data = [["X1", dt.datetime(2025, 3, 3, 9, 0), "路灯不亮", "投诉", "光明路", "CGJ", dt.datetime(2025, 3, 4, 9, 0),
             "已修复", "满意"]]
    header = ["工单号", "来电时间", "来电内容", "工单类型", "事发地址", "办理单位", "结案时间", "处理结果", "回访满意度"]
    path = write_xlsx(tmp_path / "工单.xlsx", header, data)
    _, outcome = run(path)
    assert outcome.committed
    ticket = Ticket.objects.get(ticket_no="X1")
    assert ticket.handler == departments["CGJ"] and ticket.closed_wd - ticket.received_wd == 1


def test_bad_rows_are_reported_by_row_and_field_and_nothing_is_written(tmp_path, departments):
    data = rows() + [
        ["H0004", "2025-13-01 09:00", "月份不对", "投诉", "", "CGJ", "", "", ""],
        ["", "2025-03-06 09:00", "没有编号", "投诉", "", "CGJ", "", "", ""],
        ["H0006", "2025-03-06 09:00", "类型不对", "吐槽", "", "CGJ", "", "", "很好"],
        ["H0001", "2025-03-07 09:00", "编号重复", "投诉", "", "CGJ", "", "", ""],
        ["H0008", "2025-03-07 09:00", "先办结后受理", "投诉", "", "CGJ", "2025-03-01 09:00", "", ""],
    ]
    path = write_csv(tmp_path / "坏文件.csv", HEADER, data, "utf-8")
    record, outcome = run(path)
    assert not outcome.committed and Ticket.objects.count() == 0
    text = "\n".join(outcome.lines())
    assert "文件 坏文件.csv 第5行，字段“受理时间”" in text
    assert "第6行，字段“工单编号”：不能为空" in text
    assert "第7行，字段“诉求类型”：无效的取值“吐槽”" in text and "第7行，字段“满意度”" in text
    assert "第8行，字段“工单编号”：工单编号 H0001 在本文件中重复出现" in text
    assert "第9行，字段“办结时间”：办结时间 2025-03-01 09:00:00 早于受理时间" in text
    assert outcome.rejected == 5 and record.status == ImportRun.Status.REFUSED and record.can_retry_good_rows is False


def test_a_file_that_is_not_a_table_is_refused_with_a_message(tmp_path, departments):
    path = tmp_path / "工单.csv"
    path.write_text("编号,内容\n1,2\n", encoding="utf-8")
    _, outcome = run(path)
    errors = "\n".join(outcome.file_errors)
    assert not outcome.committed and "无法识别的列“编号”" in errors and "缺少必填列“工单编号”" in errors


def test_accept_good_rows_imports_the_rest(tmp_path, departments):
    data = rows() + [["H0004", "昨天", "时间不对", "投诉", "", "CGJ", "", "", ""]]
    path = write_csv(tmp_path / "工单.csv", HEADER, data, "utf-8")
    _, outcome = run(path, accept_good_rows=True)
    assert outcome.committed and outcome.tickets.created == 3 and outcome.rejected == 1
    assert not Ticket.objects.filter(ticket_no="H0004").exists()
    assert "拒绝 1 行（其余正确的行已导入）" in outcome.lines()[0]


def test_reimport_changes_nothing_and_a_changed_row_is_counted_as_updated(tmp_path, departments):
    path = write_csv(tmp_path / "工单.csv", HEADER, rows(), "utf-8")
    run(path)
    _, again = run(path)
    assert (again.tickets.created, again.tickets.updated, again.tickets.unchanged) == (0, 0, 3)
    changed = rows()
    changed[1][6], changed[1][7], changed[1][8] = "2025-03-05 16:00", "已下架并立案", "满意"
    write_csv(path, HEADER, changed, "utf-8")
    _, third = run(path)
    assert (third.tickets.created, third.tickets.updated, third.tickets.unchanged) == (0, 1, 2)
    ticket = Ticket.objects.get(ticket_no="H0002")
    assert ticket.result == "已下架并立案" and ticket.satisfaction == "satisfied" and ticket.version == 2


def test_returns_import_with_tickets_and_again_alone(tmp_path, departments):
    tickets = write_csv(tmp_path / "工单.csv", HEADER, rows(), "gb18030")
    back = [["H0001", "2025-03-03 11:00", "市场监管局", "占道经营不归我局管", "市城管局"],
            ["H0001", "2025-03-03 15:00", "市城管局", "请市场监管局处理", "市场监管局"]]
    returns = write_csv(tmp_path / "退单.csv", RETURN_HEADER, back, "utf-8-sig")
    _, outcome = run(tickets, returns)
    assert outcome.committed and outcome.returns.created == 2
    first = TicketReturn.objects.get(reason="占道经营不归我局管")
    assert first.from_department == departments["SCJGJ"] and first.to_department == departments["CGJ"]
    _, again = run(None, returns)
    assert (again.returns.created, again.returns.unchanged) == (0, 2)


@pytest.mark.parametrize("collide", [False, True])
def test_returns_of_new_tickets_find_them_without_asking_the_database(tmp_path, departments, monkeypatch, collide):
    """Into an empty table new tickets get ids from a reserved range and their returns are matched in
    memory; ticket numbers sharing a hash are still told apart (through the database)."""
    from ..importer import writers

    if collide:  # every ticket number has the same hash
        monkeypatch.setattr(writers, "_hash", lambda number: 7)
    asked = []  # ticket numbers looked up in the database
    lookup = writers.Writer._lookup
    monkeypatch.setattr(writers.Writer, "_lookup", lambda self, table, key, values: (
        asked.extend(values) if key == "ticket_no" else None) or lookup(self, table, key, values))
    data = rows() + [[f"N{i:04d}", "2025-03-06 09:00:00", f"第{i}件", "投诉", "", "CGJ", "", "", ""] for i in range(40)]
    tickets = write_csv(tmp_path / "工单.csv", HEADER, data, "utf-8")
    back = [[f"N{i:04d}", "2025-03-07 09:00", "市城管局", f"退回第{i}件", "市场监管局"] for i in range(0, 40, 3)]
    back.append(["H0002", "2025-03-07 10:00", "市场监管局", "不归我局", "市城管局"])
    back.append(["N9999", "2025-03-07 10:00", "市场监管局", "没有这件工单", "市城管局"])
    returns = write_csv(tmp_path / "退单.csv", RETURN_HEADER, back, "utf-8")
    _, outcome = run(tickets, returns, accept_good_rows=True)
    assert outcome.committed and outcome.tickets.created == 43 and outcome.returns.created == 15
    assert outcome.returns.rejected_count == 1 and "N9999" in "\n".join(outcome.lines())
    for back_row in TicketReturn.objects.select_related("ticket"):
        assert back_row.reason in (f"退回第{back_row.ticket.content[1:-1]}件", "不归我局")
    assert TicketReturn.objects.get(reason="不归我局").ticket.ticket_no == "H0002"
    # found in memory; only numbers sharing a hash go to the database
    assert (len(asked) > 0) == collide
    # the ids given are the table's: the next ticket written the ordinary way follows them
    last = Ticket.objects.order_by("-id").first()
    extra = write_csv(tmp_path / "再来.csv", HEADER, [["Z0001", "2025-03-08 09:00:00", "又一件", "投诉", "", "CGJ", "", "", ""]],
                      "utf-8")
    run(extra)
    assert Ticket.objects.get(ticket_no="Z0001").id > last.id


def test_a_returns_file_with_a_bad_header_refuses_the_whole_import(tmp_path, departments):
    tickets = write_csv(tmp_path / "工单.csv", HEADER, rows(), "utf-8")
    returns = write_csv(tmp_path / "退单.csv", ["工单编号", "退单时间"], [["H0001", "2025-03-03 11:00"]], "utf-8")
    _, outcome = run(tickets, returns)
    assert not outcome.committed and Ticket.objects.count() == 0
    assert "缺少必填列“退单单位”" in "\n".join(outcome.file_errors)


def test_return_of_an_unknown_ticket_is_a_bad_row(tmp_path, departments):
    returns = write_csv(tmp_path / "退单.csv", RETURN_HEADER, [["NOPE", "2025-03-03 11:00", "CGJ", "不归我管", ""]],
                        "utf-8")
    _, outcome = run(None, returns)
    assert not outcome.committed
    assert "第2行，字段“工单编号”：工单编号 NOPE 不存在" in "\n".join(outcome.lines())


def test_unmatched_department_names_are_kept_as_text_and_listed(tmp_path, departments):
    data = rows()
    data[0][5] = "东城区综合执法中队"
    path = write_csv(tmp_path / "工单.csv", HEADER, data, "utf-8")
    _, outcome = run(path)
    ticket = Ticket.objects.get(ticket_no="H0001")
    assert ticket.handler is None and ticket.handler_name == "东城区综合执法中队"
    assert "东城区综合执法中队（1 行）" in outcome.unmatched[0] and "已按原文保存" in outcome.unmatched[0]
    alias, linked = services.add_alias(None, "东城区综合执法中队", departments["CGJ"])
    ticket.refresh_from_db()
    assert linked == 1 and ticket.handler == departments["CGJ"] and DepartmentAlias.objects.get() == alias
    assert services.delete_alias(None, alias) == 1


def test_a_refused_import_does_not_claim_to_have_kept_unmatched_names(tmp_path, departments):
    data = rows()
    data[0][5] = "东城区综合执法中队"
    data[1][1] = "昨天下午"
    _, outcome = run(write_csv(tmp_path / "工单.csv", HEADER, data, "utf-8"))
    assert not outcome.committed and not Ticket.objects.exists()
    assert "本次未写入" in outcome.unmatched[0] and "已按原文保存" not in outcome.unmatched[0]


def test_upload_page_runs_in_the_background_and_offers_the_good_rows(tmp_path, departments, settings,
                                                                      django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    hotline = make_user("hl", Role.HOTLINE)
    client = client_for(hotline)
    data = rows() + [["H0009", "不是时间", "坏行", "投诉", "", "CGJ", "", "", ""]]
    content = write_csv(tmp_path / "工单.csv", HEADER, data, "gb18030").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hotline:import"),
                               {"tickets": SimpleUploadedFile("工单.csv", content, "text/csv")})
    record = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    page = client.get(record.get_absolute_url()).content.decode()
    assert record.status == ImportRun.Status.REFUSED and Ticket.objects.count() == 0
    assert "第5行，字段“受理时间”" in page and "跳过错误行，导入其余正确的行" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("hotline:import-retry", args=[record.pk]))
    retry = ImportRun.objects.exclude(pk=record.pk).get()
    assert retry.accept_good_rows and retry.status == ImportRun.Status.DONE and Ticket.objects.count() == 3


def test_department_users_cannot_import(departments):
    liaison = make_user("liaison", Role.DEPARTMENT, department=departments["CGJ"])
    assert client_for(liaison).get(reverse("hotline:import")).status_code == 403


def test_command_reports_and_refuses_bad_files(tmp_path, departments, capsys):
    good = write_csv(tmp_path / "工单.csv", HEADER, rows(), "utf-8")
    call_command("import-tickets", str(good), "--skip-follow-up")
    assert "新增 3 条" in capsys.readouterr().out
    bad = write_csv(tmp_path / "坏.csv", HEADER, [["B1", "x", "内容", "", "", "", "", "", ""]], "utf-8")
    with pytest.raises(CommandError):
        call_command("import-tickets", str(bad))
    assert Ticket.objects.count() == 3


def test_rows_across_many_blocks_give_the_row_by_row_result(tmp_path, departments, monkeypatch):
    from ..importer import columnar

    monkeypatch.setattr(columnar, "BLOCK", 300)  # a few rows per block: duplicates and errors cross blocks
    data = rows() * 1
    data += [[f"P{i:03d}", "2025-04-01 08:00:00", f"第{i}件\n诉求跨行", "投诉", "", "CGJ", "", "", ""]
             for i in range(40)]
    data += [["P005", "2025-04-02 08:00:00", "重复的编号", "投诉", "", "CGJ", "", "", ""],
             ["P041", "2025-04-02 08:00", "不带秒的时间也可以", "咨询", "", "市城管局", "", "", ""],
             ["P042", "不是时间", "坏行", "投诉", "", "CGJ", "", "", ""]]
    path = write_csv(tmp_path / "大文件.csv", HEADER, data, "gb18030")
    _, outcome = run(path, accept_good_rows=True)
    text = "\n".join(outcome.lines())
    assert outcome.tickets.created == 44 and outcome.rejected == 2
    assert "第45行，字段“工单编号”：工单编号 P005 在本文件中重复出现" in text
    assert "第47行，字段“受理时间”：无法识别的时间“不是时间”" in text
    assert Ticket.objects.get(ticket_no="P039").content == "第39件\n诉求跨行"
    assert Ticket.objects.get(ticket_no="P041").handler == departments["CGJ"]


def test_odd_rows_in_late_blocks_keep_their_numbers_and_the_row_checker_rules(tmp_path, departments, monkeypatch):
    from ..importer import columnar

    monkeypatch.setattr(columnar, "BLOCK", 256)
    data = [[f"Q{i:03d}", "2025-04-01 08:00:00", f"第{i}件诉求", "投诉", "", "CGJ", "", "", ""] for i in range(30)]
    data[12] = ["Q012", "2025-04-01 08:00:00", "　全角空格开头的诉求", " 求决 ", "", " 市城管局", "", "", "非常满意"]
    data[20] = ["Q020", "2025-04-01 08:00:00", "少了几列"]  # a short row: the missing cells are blank
    data[25] = ["Q025", "2025-04-01 08:00:00", "", "投诉", "", "CGJ", "", "", ""]
    path = tmp_path / "工单.csv"
    write_csv(path, HEADER, data, "utf-8")
    with open(path, "a", encoding="utf-8", newline="") as fh:  # an empty line, then one more row
        fh.write("\r\nQ100,2025-04-02 08:00:00,最后一行,不存在的类型,,CGJ,,,\r\n")
    _, outcome = run(path, accept_good_rows=True)
    text = "\n".join(outcome.lines())
    assert outcome.tickets.rows == 31 and outcome.tickets.created == 29 and outcome.rejected == 2
    assert "第27行，字段“诉求内容”：不能为空" in text and "第33行，字段“诉求类型”：无效的取值“不存在的类型”" in text
    odd = Ticket.objects.get(ticket_no="Q012")
    assert odd.content == "全角空格开头的诉求" and odd.kind == "help" and odd.satisfaction == "satisfied"
    assert odd.handler == departments["CGJ"] and odd.handler_name == "市城管局"
    assert Ticket.objects.get(ticket_no="Q020").kind == "other"


def test_arrow_trims_exactly_the_white_space_the_row_checker_strips():
    """The columnar check sends a value to the row checker when Arrow's trim shortens it; the row
    checker strips ``str.isspace`` characters. Were the two sets to differ in a future pyarrow, a
    value could be stored unstripped."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..importer.columnar import _edge_spaces

    chars = [chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF]
    for values in (pa.array([f"值{c}" for c in chars]), pa.array([f"{c}值" for c in chars])):
        (flagged,) = _edge_spaces(values)
        assert flagged.to_pylist() == [c.isspace() for c in chars]
    assert pc.sum(_edge_spaces(pa.array(["中间 有空格", "", "x"]))[0]).as_py() == 0


def test_new_tickets_written_many_rows_per_statement_keep_every_value(tmp_path, departments):
    # 47 rows: two statements of 20 rows and 7 rows left over, each value in its own column.
    data = [[f"M{i:03d}", f"2025-05-{1 + i % 28:02d} 08:{i % 60:02d}:00", f"第{i}件诉求", ("投诉", "咨询")[i % 2],
             f"地址{i}", "CGJ", f"2025-05-{1 + i % 28:02d} 17:00:00" if i % 3 else "", f"结果{i}" if i % 3 else "",
             "满意" if i % 3 else ""] for i in range(47)]
    path = write_csv(tmp_path / "工单.csv", HEADER, data, "utf-8")
    _, outcome = run(path)
    assert outcome.committed and outcome.tickets.created == 47
    for i in (0, 19, 20, 39, 40, 46):
        ticket = Ticket.objects.get(ticket_no=f"M{i:03d}")
        assert (ticket.content, ticket.address, ticket.kind, ticket.handler) == (
            f"第{i}件诉求", f"地址{i}", ("complaint", "consult")[i % 2], departments["CGJ"])
        assert (ticket.closed_at is None) == (i % 3 == 0) and ticket.result == (f"结果{i}" if i % 3 else "")
        assert timezone.localtime(ticket.received_at).strftime("%m-%d %H:%M") == f"05-{1 + i % 28:02d} 08:{i % 60:02d}"


def test_an_undecodable_gbk_file_is_refused_naming_the_line(tmp_path, departments):
    data = [[f"G{i:04d}", "2025-03-03 09:15:00", "路灯不亮" * 10, "投诉", "", "CGJ", "", "", ""] for i in range(2000)]
    path = write_csv(tmp_path / "工单.csv", HEADER, data, "gb18030")  # past the part read to detect the encoding
    path.write_bytes(path.read_bytes() + "H0009,2025-03-03 09:15:00,坏字节".encode("gb18030") + b"\x81\x20\r\n")
    _, outcome = run(path)
    assert not outcome.committed and Ticket.objects.count() == 0
    assert "第2002行附近含有无法按 GB18030/GBK 解码的字符" in "\n".join(outcome.file_errors)


def test_bad_returns_in_late_blocks_are_reported_and_the_rest_written(tmp_path, departments, monkeypatch):
    from ..importer import columnar

    monkeypatch.setattr(columnar, "BLOCK", 256)
    tickets = write_csv(tmp_path / "工单.csv", HEADER, rows(), "utf-8")
    back = [["H0001", f"2025-03-03 1{i % 10}:0{i // 10}:00", "市场监管局", f"第{i}次退回", "CGJ"] for i in range(20)]
    back += [["H0001", "2025-03-03 10:00:00", "市场监管局", "重复的一条", "CGJ"],
             ["H0002", "2025-03-04 11:00", "CGJ", "", ""],
             ["H0003", "2025/03/05 09:30", " 市城管局 ", "不带秒的时间", ""]]
    returns = write_csv(tmp_path / "退单.csv", RETURN_HEADER, back, "gb18030")
    _, outcome = run(tickets, returns, accept_good_rows=True)
    text = "\n".join(outcome.lines())
    assert outcome.returns.created == 21 and outcome.returns.rejected_count == 2
    assert "第22行，字段“工单编号”：工单 H0001 由“市场监管局”退单的这条记录在本文件中重复出现" in text
    assert "第23行，字段“退单原因”：不能为空" in text
    late = TicketReturn.objects.get(reason="不带秒的时间")
    assert late.from_department == departments["CGJ"] and late.from_name == "市城管局"
    assert TicketReturn.objects.get(reason="第19次退回").to_department == departments["CGJ"]


def test_a_bulk_load_rebuilds_the_indexes_it_dropped(tmp_path, departments, monkeypatch):
    from django.db import connection

    from ..importer import writers

    def indexes():
        with connection.cursor() as cursor:
            return {(i["primary_key"], i["unique"], tuple(i["columns"]))
                    for table in ("hotline_ticket", "hotline_ticketreturn")
                    for i in connection.introspection.get_constraints(cursor, table).values()
                    if i["index"] or i["unique"] or i["primary_key"]}

    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('default_statistics_target')" if connection.vendor == "postgresql"
                           else "SELECT NULL")
            return cursor.fetchone()[0]

    before, usual = indexes(), setting()
    monkeypatch.setattr(writers, "BULK_ROWS", 1)  # every load counts as a bulk load into a smaller table
    dropped, drop = [], writers.Writer._drop_indexes

    def recording(self, table, keys):
        drop(self, table, keys)
        dropped.extend(self.dropped[table])

    monkeypatch.setattr(writers.Writer, "_drop_indexes", recording)
    tickets = write_csv(tmp_path / "工单.csv", HEADER, rows(), "utf-8")
    returns = write_csv(tmp_path / "退单.csv", RETURN_HEADER, [["H0001", "2025-03-03 11:00", "CGJ", "不归我管", ""]],
                        "utf-8")
    _, outcome = run(tickets, returns)
    assert outcome.committed and outcome.tickets.created == 3 and outcome.returns.created == 1
    assert indexes() == before and (False, True, ("ticket_no",)) in before and (False, True, ("key_hash",)) in before
    assert any("received_at" in sql for sql in dropped)
    assert not any("hotline_ticket_dispute" in sql for sql in dropped)  # partial: kept through the load
    assert setting() == usual  # the quick ANALYZE's smaller sample did not outlive it
    _, again = run(tickets, returns)
    assert (again.tickets.unchanged, again.returns.unchanged) == (3, 1)


def _force_checking(monkeypatch, apart):
    """Check a CSV in a forked process (``apart``) or in a thread, whatever the database."""
    from ..importer import forked, writers

    for cls in (writers.Writer, writers.CopyWriter):
        monkeypatch.setattr(cls, "check_apart", apart)
    children = []
    start = forked.ForkedBlocks.__init__

    def spy(self, *args, **kwargs):
        start(self, *args, **kwargs)
        children.append(self)

    monkeypatch.setattr(forked.ForkedBlocks, "__init__", spy)
    return children


@pytest.mark.parametrize("apart", [True, False])
def test_a_file_checked_in_another_process_gives_the_result_of_checking_it_in_a_thread(
        tmp_path, departments, monkeypatch, apart):
    from ..importer import columnar

    children = _force_checking(monkeypatch, apart)
    monkeypatch.setattr(columnar, "BLOCK", 300)  # many blocks through the pipe
    data = [[f"F{i:03d}", "2025-04-01 08:00:00", f"第{i}件诉求", "投诉", "", "CGJ" if i % 3 else "不存在的局", "", "", ""]
            for i in range(60)]
    data[7] = ["F007", "2025/04/01 09:30", "　全角空格开头", " 求决 ", "", "市城管局", "", "", "非常满意"]
    data[30] = ["F005", "2025-04-02 08:00:00", "重复的编号", "投诉", "", "CGJ", "", "", ""]
    data[45] = ["F045", "不是时间", "坏行", "投诉", "", "CGJ", "", "", ""]
    tickets = write_csv(tmp_path / "工单.csv", HEADER, data, "gb18030")
    returns = write_csv(tmp_path / "退单.csv", RETURN_HEADER, [
        ["F001", "2025-04-01 10:00:00", "市城管局", "不属于本单位职责", "市场监管局"],
        ["F045", "2025-04-01 10:00:00", "市城管局", "不属于本单位职责", ""],
    ], "utf-8")
    seen = []
    _, outcome = services.import_paths(None, tickets, returns, accept_good_rows=True,
                                       progress=lambda stage, rows, fraction: seen.append((stage, rows, fraction)))
    assert len(children) == (2 if apart else 0)  # one for the tickets, one for the returns
    assert all(child.process.exitcode == 0 for child in children)
    assert outcome.committed and outcome.tickets.rows == 60 and outcome.tickets.created == 58
    assert outcome.lines() == [
        "文件 工单.csv：共 60 行，新增 58 条，更新 0 条，未变 0 条，拒绝 2 行（其余正确的行已导入）。",
        "文件 工单.csv 第32行，字段“工单编号”：工单编号 F005 在本文件中重复出现",
        "文件 工单.csv 第47行，字段“受理时间”：无法识别的时间“不是时间”，应为 YYYY-MM-DD HH:MM[:SS]",
        "文件 退单.csv：共 2 行，新增 1 条，更新 0 条，未变 0 条，拒绝 1 行（其余正确的行已导入）。",
        "文件 退单.csv 第3行，字段“工单编号”：工单 F045 在工单文件中有错误，未能导入，本条退单也未导入",
        "以下单位名称未匹配到部门，已按原文保存（可在“部门别名”中指定对应部门）：不存在的局（18 行）",
    ]
    odd = Ticket.objects.get(ticket_no="F007")
    assert odd.kind == "help" and odd.satisfaction == "satisfied" and odd.handler == departments["CGJ"]
    assert TicketReturn.objects.get().ticket == Ticket.objects.get(ticket_no="F001")
    ticket_progress = [fraction for stage, _, fraction in seen if stage == "工单"]
    assert ticket_progress == sorted(ticket_progress) and 0 < ticket_progress[-1] <= 1


def test_the_checking_process_cannot_use_the_importing_process_database_connection(tmp_path, departments,
                                                                                  monkeypatch):
    from ..resolver import DepartmentResolver

    _force_checking(monkeypatch, True)
    resolve = DepartmentResolver.resolve

    def querying(self, text):  # a check that (wrongly) asks the database
        Ticket.objects.count()
        return resolve(self, text)

    monkeypatch.setattr(DepartmentResolver, "resolve", querying)
    path = write_csv(tmp_path / "工单.csv", HEADER, rows(), "utf-8")
    with pytest.raises(RuntimeError, match="读取文件的子进程不能使用数据库连接"):
        run(path)
    assert Ticket.objects.count() == 0  # and this process's connection still works


def test_an_import_stopped_by_a_write_error_stops_the_checking_process(tmp_path, departments, monkeypatch):
    from ..importer import columnar, writers

    children = _force_checking(monkeypatch, True)
    monkeypatch.setattr(columnar, "BLOCK", 200)

    def failing(self, table):
        raise OSError("磁盘已满")

    for cls in (writers.Writer, writers.CopyWriter):
        monkeypatch.setattr(cls, "ticket_table", failing)
    data = [[f"S{i:04d}", "2025-04-01 08:00:00", f"第{i}件诉求", "投诉", "", "CGJ", "", "", ""] for i in range(2000)]
    path = write_csv(tmp_path / "工单.csv", HEADER, data, "utf-8")
    with pytest.raises(OSError, match="磁盘已满"):
        run(path)
    assert len(children) == 1 and children[0].process.exitcode is not None  # not left running
    assert Ticket.objects.count() == 0


def test_ticket_numbers_compare_byte_by_byte_on_postgresql(db):
    """Migration 0003: the unique index on ticket numbers is built without the locale's rules."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite compares bytes already")
    with connection.cursor() as cursor:
        cursor.execute("SELECT collation_name FROM information_schema.columns "
                       "WHERE table_name = 'hotline_ticket' AND column_name = 'ticket_no'")
        assert cursor.fetchone()[0] == "C"


@pytest.mark.parametrize("tables", [True, False])
def test_returns_written_as_tables_match_the_row_path(tmp_path, departments, monkeypatch, tables):
    """Into empty tables on PostgreSQL, good returns go from the file to the COPY in Arrow; the same
    file imported row by row stores the same values and reports the same rows."""
    from django.db import connection

    from ..importer import columnar, writers

    monkeypatch.setattr(columnar, "BLOCK", 256)  # several blocks
    if not tables:
        monkeypatch.setattr(writers.CopyWriter, "takes_return_tables", property(lambda self: False))
    written = []
    table_write = writers.CopyWriter.return_table

    def spy(self, table, ids):
        written.append(table.num_rows)
        return table_write(self, table, ids)

    monkeypatch.setattr(writers.CopyWriter, "return_table", spy)
    data = [[f"R{i:03d}", f"2025-04-{1 + i % 28:02d} 09:00:00", f"第{i}件诉求", "投诉", "", "CGJ", "", "", ""]
            for i in range(30)]
    data[7][1] = "不是时间"  # refused: its returns cannot be stored
    tickets = write_csv(tmp_path / "工单.csv", HEADER, data, "utf-8")
    back = [[f"R{i:03d}", f"2025-04-{1 + i % 28:02d} 15:{i:02d}:00", ("市场监管局", "无此单位", "CGJ")[i % 3],
             f"原因{i}", "" if i % 2 else "CGJ"] for i in range(30)]
    back += [["R007", "2025-04-20 10:00:00", "CGJ", "工单有错", ""], ["X999", "2025-04-20 10:00:00", "CGJ", "无此工单", ""]]
    returns = write_csv(tmp_path / "退单.csv", RETURN_HEADER, back, "gb18030")
    _, outcome = run(tickets, returns, accept_good_rows=True)
    assert outcome.committed and outcome.returns.created == 29 and outcome.returns.rejected_count == 3
    text = "\n".join(outcome.lines())
    assert "第9行" in text and "工单 R007 在工单文件中有错误" in text and "工单编号 X999 不存在" in text
    stored = sorted(TicketReturn.objects.values_list("ticket__ticket_no", "returned_at", "from_department", "from_name",
                                                     "reason", "to_department", "to_name", "key_hash"))
    assert len(stored) == 29 and stored[0][:5] == ("R000", stored[0][1], departments["SCJGJ"].pk, "市场监管局", "原因0")
    assert stored[1][2] is None and stored[1][3] == "无此单位" and stored[0][6] == "CGJ" and stored[1][6] == ""
    assert [timezone.localtime(s[1]).strftime("%m-%d %H:%M") for s in stored[:2]] == ["04-01 15:00", "04-02 15:01"]
    assert sum(written) == (29 if tables and connection.vendor == "postgresql" else 0)
    assert len({s[7] for s in stored}) == 29
