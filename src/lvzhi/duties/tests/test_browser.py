"""The three lists and the finder in a real browser (Debian's chromium driven by Playwright).

Each test builds the little data it needs (not the whole demo city) so it runs in a few seconds.
"""

import io
import re

import openpyxl
import pytest

from lvzhi.core.roles import Role
from lvzhi.testing import browser_login, make_department, make_mandate, make_user

from .factories import make_matter, make_power_list, row, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, url, user):
    page.context.clear_cookies()
    browser_login(page, url, user)
    page.wait_for_url(f"{url}/")


def test_office_imports_adjusts_publishes_and_diffs_a_power_list(live_server, browser_page, tmp_path):
    from lvzhi.duties.models import PowerAdjustment, PowerList

    make_department("SCJ", "示范市市场监督管理局")
    staff = make_user("b_staff", Role.OFFICE_STAFF)
    path = tmp_path / "市场监管局权责清单.xlsx"
    path.write_bytes(xlsx_bytes([
        row("SCJ-XK-001", "SCJ", "食品生产许可", "行政许可", "《中华人民共和国食品安全法》第三十五条"),
        row("SCJ-CF-001", "SCJ", "对无证生产食品的处罚", "行政处罚", "《中华人民共和国食品安全法》第一百二十二条"),
        row("SCJ-JC-001", "SCJ", "食品生产监督检查", "行政监督", "《中华人民共和国食品安全法》第一百一十条"),
    ]))
    page, url = browser_page, live_server.url
    sign_in(page, url, staff)

    page.goto(f"{url}/duties/powers/import/")
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=label]", "2025年版")
    page.click("form button.btn-primary")
    assert "新增 3 条" in page.locator("#import-report").inner_text()
    power_list = PowerList.objects.get()

    page.goto(f"{url}/duties/powers/{power_list.pk}/publish/")
    page.fill("input[name=published_on]", "2025-03-31")
    page.click("form button.btn-primary")
    page.wait_for_url(re.compile(r"/duties/editions/\d+/$"))

    page.goto(f"{url}/duties/powers/{power_list.pk}/")
    page.click("text=起草动态调整")
    page.select_option("select[name=kind]", "change")
    page.fill("input[name=item_code]", "SCJ-CF-001")
    page.select_option("select[name=type]", "penalty")
    page.fill("input[name=name]", "对未取得食品生产许可从事食品生产活动的处罚")
    page.fill("textarea[name=basis]", "《中华人民共和国食品安全法》第一百二十二条第一款")
    page.fill("textarea[name=reason]", "法律修正，规范事项名称和设定依据。")
    page.fill("textarea[name=legal_basis]", "《中华人民共和国食品安全法》（2021年修正）")
    page.fill("input[name=approval_doc_no]", "示编办发〔2026〕7号")
    page.fill("input[name=approval_date]", "2026-06-20")
    page.click("form button.btn-primary >> text=保存草稿")
    page.wait_for_url(re.compile(r"/duties/adjustments/\d+/$"))
    page.click("button >> text=提交审核")
    page.click("button >> text=同意")
    assert PowerAdjustment.objects.get().status == "approved"

    page.goto(f"{url}/duties/powers/{power_list.pk}/publish/")
    page.fill("input[name=label]", "2026年第1次调整")
    page.click("form button.btn-primary")
    page.wait_for_url(re.compile(r"/duties/editions/\d+/$"))
    assert "本次动态调整 1 项" in page.content()
    page.goto(page.url + "diff/")
    counts = page.locator(".adjustment-counts").inner_text()
    assert "本次动态调整 1 项（变更要素 1 项）" in counts
    changed = page.locator("table", has_text="原内容").inner_text()
    assert "SCJ-CF-001" in changed and "对无证生产食品的处罚" in changed
    assert "对未取得食品生产许可从事食品生产活动的处罚" in changed and "第一百二十二条第一款" in changed


def test_matter_matrix_marks_lead_and_support(live_server, browser_page):
    zrzy = make_department("ZRZY", "示范市自然资源和规划局")
    zjj = make_department("ZJJ", "示范市住房和城乡建设局")
    gaj = make_department("GAJ", "示范市公安局")
    matter = make_matter("M-PARK", zrzy, [zjj], name="停车场建设管理",
                         links=(("规划", "编制停车设施专项规划"), ("建设", "公共停车场建设管理")))
    build = matter.links.get(name="建设").points.get()
    build.lead, build.text = zjj, "公共停车场建设管理"
    build.save()
    build.support.set([zrzy, gaj])
    page, url = browser_page, live_server.url
    sign_in(page, url, make_user("b_staff_m", Role.OFFICE_STAFF))
    page.goto(f"{url}/duties/matters/")
    page.click("text=停车场建设管理")
    page.wait_for_selector("table.matrix")
    header = page.locator("table.matrix thead th").all_inner_texts()
    assert header[1:] == ["示范市自然资源和规划局", "示范市住房和城乡建设局", "示范市公安局"]
    cells = [page.locator("table.matrix tbody tr").nth(i).locator("td").all_inner_texts() for i in range(2)]
    assert cells == [["牵头", "配合", ""], ["配合", "牵头", "配合"]]
    assert "fw-bold" in page.locator("table.matrix tbody tr").nth(1).locator("td").nth(1).get_attribute("class")


def test_anonymous_visitor_searches_opens_an_item_and_downloads_the_list(live_server, browser_page, tmp_path):
    from lvzhi.duties.models import PowerType

    department = make_department("SCJ", "示范市市场监督管理局")
    make_mandate(department, duties=("负责食品安全监督管理。",))
    make_power_list(department, [
        ("SCJ-XK-001", "食品生产经营许可", PowerType.LICENSING, "《中华人民共和国食品安全法》第三十五条"),
        ("SCJ-XK-002", "药品经营许可", PowerType.LICENSING, "《中华人民共和国药品管理法》第五十二条"),
        ("SCJ-CF-001", "对生产经营不符合食品安全标准的食品的处罚", PowerType.PENALTY, "《中华人民共和国食品安全法》"),
    ])
    page, url = browser_page, live_server.url
    page.goto(f"{url}/public/")
    assert "示范市市场监督管理局" in page.locator("#public-departments").inner_text()
    page.fill("input[aria-label=搜索权责事项]", "食品生产许可")
    page.click("button >> text=搜索")
    page.wait_for_selector("#public-items")
    names = page.locator("#public-items tbody td:nth-child(4) a").all_inner_texts()
    assert names and names[0] == "食品生产经营许可" and "药品经营许可" not in names
    page.click("#public-items >> text=食品生产经营许可")
    page.wait_for_url(re.compile(r"/public/items/\d+/$"))
    assert "《中华人民共和国食品安全法》第三十五条" in page.content() and "食品生产经营许可的责任事项" in page.content()
    page.click("nav >> text=示范市市场监督管理局")
    assert "负责食品安全监督管理。" in page.locator("#public-mandate").inner_text()
    with page.expect_download() as info:
        page.click("text=下载 XLSX")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.suffix == ".xlsx"
    rows = list(openpyxl.load_workbook(io.BytesIO(target.read_bytes())).active.values)
    assert rows[0][:4] == ("职权编码", "部门编码", "职权类型", "职权名称")
    assert [r[0] for r in rows[1:]] == ["SCJ-XK-001", "SCJ-XK-002", "SCJ-CF-001"]


def test_finder_answers_with_evidence_and_lead_and_support(live_server, browser_page):
    zrzy = make_department("ZRZY", "示范市自然资源和规划局")
    zjj = make_department("ZJJ", "示范市住房和城乡建设局")
    make_mandate(zrzy, duties=("负责国土空间规划和用途管制。",))
    make_mandate(zjj, duties=("负责城市建设工程质量安全监督管理。",))
    make_matter("M-PARK", zrzy, [zjj], name="停车场建设管理", links=(("规划", "编制公共停车场专项规划"),))
    page, url = browser_page, live_server.url
    sign_in(page, url, make_user("b_hotline", Role.HOTLINE))
    page.goto(f"{url}/finder/")
    page.fill("input[name=q]", "公共停车场专项规划由哪个部门编制")
    page.click("button >> text=查询")
    first = page.locator("#finder-results > li").first
    first.wait_for()
    text = first.inner_text()
    assert "示范市自然资源和规划局" in text and "最可能" in text
    assert "职责边界清单" in text and "编制公共停车场专项规划" in text
    assert first.locator(".badge.bg-success", has_text="牵头").is_visible()
    assert "牵头 示范市自然资源和规划局" in text and "配合 示范市住房和城乡建设局" in text


def test_liaison_reports_a_quarter_with_evidence_and_the_office_accepts(live_server, browser_page, tmp_path):
    from lvzhi.duties.models import MandateCheck
    from lvzhi.duties.services import checks

    department = make_department("RSJ", "示范市人力资源和社会保障局")
    make_mandate(department, duties=("负责城乡就业创业工作。", "负责社会保险工作。"))
    liaison = make_user("b_liaison", Role.DEPARTMENT, department=department)
    staff = make_user("b_staff_c", Role.OFFICE_STAFF)
    evidence = tmp_path / "就业工作台账.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["月份", "新增就业人数"])
    book.save(evidence)
    page, url = browser_page, live_server.url

    sign_in(page, url, liaison)
    page.goto(f"{url}/duties/checks/sheet/?period=2026Q3")
    page.locator("#check-sheet tbody tr", has_text="负责城乡就业创业工作").locator("button >> text=填报").click()
    page.wait_for_url(re.compile(r"/duties/checks/\d+/$"))
    page.set_input_files("input[name=file]", str(evidence))
    page.click("button >> text=上传")
    page.wait_for_selector("text=就业工作台账.xlsx")
    page.select_option("select[name=result]", "partly")
    page.fill("textarea[name=narrative]", "城镇新增就业完成年度目标的七成，零就业家庭动态清零。")
    page.click("button >> text=保存并提交审核")
    page.wait_for_selector(".badge >> text=待审核")
    check = MandateCheck.objects.get()
    assert check.status == "submitted" and check.result == "partly"

    sign_in(page, url, staff)
    page.goto(f"{url}/duties/checks/{check.pk}/")
    assert "城镇新增就业完成年度目标的七成" in page.content()
    page.fill("textarea[name=note]", "情况属实。")
    page.click("button >> text=审核通过")
    page.wait_for_selector(".badge >> text=已审核")
    check.refresh_from_db()
    assert check.status == "accepted" and check.reviewed_by == staff and check.review_note == "情况属实。"
    [stored] = checks.evidence(check)
    with stored.file.open("rb") as fh:
        assert openpyxl.load_workbook(fh).active["A1"].value == "月份"
    with page.expect_download() as info:
        page.click("text=就业工作台账.xlsx")
    assert info.value.suggested_filename.endswith(".xlsx")
    assert page.get_by_role("button", name="转为问题").is_visible()  # partly fulfilled
