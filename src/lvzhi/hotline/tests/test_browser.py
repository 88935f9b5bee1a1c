"""The hotline pages in a real browser (chromium via Playwright): an upload refused row by row and
then imported without its bad row, a background worker running the jobs while the page polls; the
office deciding a dispute citing a duty point; the analysis charts, and a liaison's view of them."""

import queue
import re
import threading

import pytest
from django.core.handlers.base import BaseHandler
from django.db import close_old_connections

from lvzhi.core import jobs
from lvzhi.core.libraries import library_path, load
from lvzhi.core.roles import Role
from lvzhi.testing import browser_login, make_department, make_mandate, make_user

from ..models import DisputeDecision, ImportRun, Ticket
from .factories import make_return, make_ticket
from .test_disputes import city, disputed  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

GBK_TICKETS = "\r\n".join([
    "工单编号,受理时间,诉求内容,诉求类型,诉求地址,承办单位,办结时间,办理结果,满意度",
    "B001,2025-06-02 09:10:00,人民路烧烤摊占道经营，油烟很大,投诉,东城区人民路1号,示范市城市管理局,2025-06-03 10:00:00,已处理,满意",
    "B002,下午三点,超市卖过期牛奶,投诉,东城区建设路2号,示范市市场监督管理局,,,",
    "B003,2025-06-04 11:00:00,咨询营业执照怎么办理,咨询,,示范市市场监督管理局,2025-06-04 15:00:00,已答复,基本满意",
]) + "\r\n"


@pytest.fixture
def worker(monkeypatch):
    """A background worker in a thread, running the queued jobs the way ``db_worker`` does.

    The test database is SQLite in memory, reached by the live server and this thread through one
    shared connection; a lock keeps the worker and the live server's requests from using it at the
    same time (a page polled during the job waits for it, as it would wait for a lock)."""
    tasks, lock = queue.Queue(), threading.Lock()
    run_job = jobs.run_job
    handle = BaseHandler.get_response

    def get_response(self, request):
        with lock:
            return handle(self, request)

    def work():
        while (item := tasks.get()) is not None:
            threading.Event().wait(1.5)  # queued for a moment: the page shows the job waiting first
            with lock:
                run_job.call(*item)
                close_old_connections()

    class Queue:
        @staticmethod
        def enqueue(*args):
            tasks.put(args)

    monkeypatch.setattr(BaseHandler, "get_response", get_response)
    monkeypatch.setattr(jobs, "run_job", Queue)
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield
    tasks.put(None)
    thread.join(30)


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def watch(page):
    """Script errors and failed requests of the page (including its icon)."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return errors


def sign_in(page, url, user):
    page.context.clear_cookies()
    browser_login(page, url, user)
    page.wait_for_url(f"{url}/")


@pytest.mark.django_db(transaction=True)
def test_gbk_upload_with_a_bad_row_is_refused_then_the_good_rows_are_imported(live_server, browser_page, worker,
                                                                           tmp_path):
    make_department("CGJ", "示范市城市管理局")
    make_department("SCJGJ", "示范市市场监督管理局")
    user = make_user("browser_hotline", Role.HOTLINE)
    upload = tmp_path / "12345工单.csv"
    upload.write_bytes(GBK_TICKETS.encode("gbk"))
    page, url = browser_page, live_server.url
    errors = watch(page)
    sign_in(page, url, user)

    page.goto(f"{url}/hotline/import/")
    expect(page.locator("#upload-limit")).to_contain_text("不超过 50 MB")
    page.set_input_files("input[name=tickets]", str(upload))
    page.click("#upload-form button")
    page.wait_for_url(re.compile(r"/hotline/imports/\d+/$"))
    expect(page.locator("#import-progress")).to_contain_text("导入完成后，本页将自动显示导入报告")
    page.evaluate("window.stayedOnPage = true")  # gone if the page reloads
    report = page.locator("#import-report")
    expect(report).to_contain_text("第3行", timeout=30_000)
    expect(report).to_contain_text("受理时间")
    expect(report).to_contain_text("未写入任何数据")
    assert page.evaluate("window.stayedOnPage === true") and Ticket.objects.count() == 0
    expect(page.locator(".progress-bar")).to_have_text("100%")

    page.click("#retry-good-rows button")
    page.wait_for_url(re.compile(r"/hotline/imports/\d+/$"))
    page.evaluate("window.stayedOnPage = true")
    expect(page.locator("#import-report")).to_contain_text("新增 2", timeout=30_000)
    expect(page.locator("#import-report")).to_contain_text("拒绝 1 行")
    assert page.evaluate("window.stayedOnPage === true")
    assert sorted(Ticket.objects.values_list("ticket_no", flat=True)) == ["B001", "B003"]
    assert [r.committed for r in ImportRun.objects.order_by("pk")] == [False, True]
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_office_decides_a_dispute_citing_a_duty_point_and_the_dispatch_rule_appears(live_server, browser_page,
                                                                                   disputed, city):
    load([library_path("problem_taxonomy.yaml")])
    swj = make_department("SWJ", "示范市商务局", short_name="市商务局")
    make_mandate(swj, ["负责餐饮行业管理，督促餐饮企业落实油烟治理责任。"])
    staff = make_user("browser_staff", Role.OFFICE_STAFF)
    dispute = Ticket.objects.get(content__startswith="东城区人民路12号的烧烤店").dispute
    page, url = browser_page, live_server.url
    sign_in(page, url, staff)

    page.goto(f"{url}/hotline/disputes/{dispute.pk}/")
    page.click("text=认定责任部门")
    page.select_option("select[name=lead]", label="示范市生态环境局")
    point = page.locator("select[name=basis_point] option", has_text="油烟").first.get_attribute("value")
    page.select_option("select[name=basis_point]", point)
    # A third department's 三定, not involved in the returns: choosing it reloads the basis block.
    expect(page.locator("select[name=basis_duty] option", has_text="市商务局")).to_have_count(0)
    page.select_option("select[name=basis_department]", label="示范市商务局")
    expect(page.locator("select[name=basis_duty] option", has_text="市商务局 第1项")).to_have_count(1)
    page.select_option("select[name=basis_duty]", label="市商务局 第1项：负责餐饮行业管理，督促餐饮企业落实油烟治理责任。")
    assert page.input_value("select[name=basis_point]") == point  # kept across the reload
    page.fill("textarea[name=reasoning]", "餐饮服务业油烟污染由生态环境部门牵头监管。")
    page.fill("input[name=keywords]", "油烟 餐饮")
    page.click("#decision-form button.btn-primary")
    page.wait_for_url(f"{url}/hotline/disputes/{dispute.pk}/")
    decision = DisputeDecision.objects.get(dispute=dispute, is_current=True)
    expect(page.locator("#decision")).to_contain_text(f"派单规则 {decision.rule_code}")
    expect(page.locator("#decision")).to_contain_text("职责边界清单“餐饮油烟污染治理")
    assert str(decision.basis_point_id) == point and decision.lead.code == "SHJJ"
    assert decision.basis_duty.mandate.department == swj

    page.goto(f"{url}/hotline/dispatch-rules/")
    row = page.locator("tr", has_text=decision.rule_code)
    expect(row).to_contain_text("示范市生态环境局")
    expect(row).to_contain_text("油烟 餐饮")


def chart_option(page, selector):
    return page.evaluate(
        "(s) => { const c = echarts.getInstanceByDom(document.querySelector(s)); return c && c.getOption(); }", selector)


@pytest.mark.django_db(transaction=True)
def test_analysis_charts_render_and_a_liaison_sees_only_its_own_department(live_server, browser_page):
    cgj = make_department("CGJ", "示范市城市管理局", short_name="市城管局")
    scj = make_department("SCJGJ", "示范市市场监督管理局", short_name="市场监管局")
    for day in range(1, 7):
        mine = make_ticket(f"2025-0{day % 3 + 4}-0{day} 09:00", f"2025-0{day % 3 + 4}-0{day + 1} 09:00", handler=cgj,
                           content="夜市烧烤摊占道经营，油烟很大", satisfaction="satisfied")
        theirs = make_ticket(f"2025-0{day % 3 + 4}-0{day} 10:00", handler=scj, content="超市卖过期牛奶，商家拒绝退换")
        make_return(mine, scj, cgj, when=f"2025-0{day % 3 + 4}-0{day} 12:00")
        make_return(theirs, cgj, scj, when=f"2025-0{day % 3 + 4}-0{day} 13:00")
    staff = make_user("browser_staff", Role.OFFICE_STAFF)
    liaison = make_user("browser_cgj", Role.DEPARTMENT, department=cgj)
    page, url = browser_page, live_server.url
    errors = watch(page)

    def charts(path, count):
        page.goto(f"{url}{path}")
        expect(page.locator(".hotline-chart canvas")).to_have_count(count)

    sign_in(page, url, staff)
    charts("/hotline/indicators/", 2)
    assert sum(chart_option(page, "[data-chart=volume]")["series"][0]["data"]) == 12
    assert {r.inner_text().split("\t")[0] for r in page.locator("#indicators tbody tr").all()} == {"市城管局", "市场监管局"}
    charts("/hotline/returns/", 1)
    matrix = chart_option(page, "[data-chart=matrix]")
    assert sorted(matrix["yAxis"][0]["data"]) == ["市场监管局", "市城管局"] and len(matrix["series"][0]["data"]) == 2
    charts("/hotline/topics/", 1)
    assert chart_option(page, "[data-chart=topics]")["series"][0]["data"]

    sign_in(page, url, liaison)
    charts("/hotline/indicators/", 2)
    assert sum(chart_option(page, "[data-chart=volume]")["series"][0]["data"]) == 6
    assert [r.inner_text().split("\t")[0] for r in page.locator("#indicators tbody tr").all()] == ["市城管局"]
    expect(page.locator(".card-header").first).to_contain_text("本部门")
    charts("/hotline/returns/", 1)
    assert [r.inner_text().split("\t")[0] for r in page.locator("#returns-by-department tbody tr").all()] == ["市城管局"]
    matrix = chart_option(page, "[data-chart=matrix]")
    rows = {matrix["yAxis"][0]["data"][y] for _, y, _ in matrix["series"][0]["data"]}
    assert rows == {"市城管局"}  # only its own returns, whoever they went to
    charts("/hotline/topics/", 1)
    topics = chart_option(page, "[data-chart=topics]")["yAxis"][0]["data"]
    assert topics and not [t for t in topics if "牛奶" in t]
    assert not errors, errors
