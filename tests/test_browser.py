"""A real browser (Debian's chromium driven by Playwright) signs in and opens a department profile."""

import re

import pytest

from lvzhi.core.roles import Role
from lvzhi.testing import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_liaison_signs_in_and_opens_own_department_profile(live_server, browser_page, demo_city, tmp_path):
    from lvzhi.org.models import Department

    make_user("browser_liaison", Role.DEPARTMENT, department=Department.objects.get(code="SCJGJ"))
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "browser_liaison")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "工作台" in page.content()
    page.click("text=部门")
    page.click("table >> text=示范市市场监督管理局")
    page.wait_for_selector("ol.duties li")
    assert page.locator("ol.duties li").count() >= 10
    assert "编制与实有人数" in page.content()
    assert "示范市人力资源和社会保障局" not in page.content()
    page.screenshot(path=str(tmp_path / "profile.png"), full_page=True)
    # The script assets load from the site itself (no CDN): Bootstrap's dropdown works.
    page.click(".navbar .dropdown-toggle >> nth=-1")
    assert page.locator("text=退出登录").is_visible()


def sign_in(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


DETAIL = re.compile(r"/problems/\d+/$")


def act(page, label, note, files=None, days=None):
    page.click(f"#actions >> text={label}")
    page.wait_for_selector("textarea[name=note]")
    page.fill("textarea[name=note]", note)
    if days is not None:
        page.fill("input[name=days]", str(days))
    if files:
        page.set_input_files("input[name=files]", files)
    page.click(f"form button.btn-primary >> text={label}")
    page.wait_for_url(DETAIL)


@pytest.mark.django_db(transaction=True)
def test_problem_goes_round_the_loop_in_the_browser(live_server, browser_page, tmp_path):
    """Office files and issues a problem; the department rectifies; the office rejects once, then closes it."""
    from lvzhi.org.models import Department
    from lvzhi.problems.models import Problem, ProblemEvent
    from lvzhi.problems.tests.factories import load_libraries

    load_libraries()
    dept = Department.objects.create(code="SCJGJ", name="示范市市场监督管理局")
    make_user("loop_staff", Role.OFFICE_STAFF)
    make_user("loop_liaison", Role.DEPARTMENT, department=dept)
    evidence = tmp_path / "整改完成情况.txt"
    evidence.write_text("已建立农贸市场日常巡查制度。", encoding="utf-8")
    page, url = browser_page, live_server.url

    sign_in(page, url, "loop_staff")
    page.goto(f"{url}/problems/new/")
    page.fill("input[name=title]", "农贸市场监管职责落实不到位")
    page.fill("textarea[name=description]", "现场调研发现农贸市场日常巡查无台账。")
    page.select_option("select[name=type]", index=1)
    page.select_option("select[name=source]", label="现场调研")
    page.select_option("select[name=department]", label="示范市市场监督管理局")
    page.fill("input[name=found_on]", "2026-11-02")
    page.click("form button.btn-primary")
    page.wait_for_url(DETAIL)
    problem = Problem.objects.get(title="农贸市场监管职责落实不到位")
    assert problem.state == "analysis"
    act(page, "下发整改通知书", "请于期限内完成整改。", days=15)
    assert "整改通知书" in page.content()

    sign_in(page, url, "loop_liaison")
    page.goto(f"{url}/problems/{problem.pk}/")
    page.click("#actions >> text=签收")
    page.click("form button.btn-primary >> text=签收")
    page.wait_for_url(DETAIL)
    # A completion report needs evidence: the browser holds the form back and keeps what was typed.
    page.click("#actions >> text=提交整改完成报告")
    page.fill("textarea[name=note]", "已完成整改。")
    page.click("form button.btn-primary >> text=提交整改完成报告")
    assert page.locator("input[name=files]").evaluate("e => e.validity.valueMissing")
    assert page.input_value("textarea[name=note]") == "已完成整改。"
    page.set_input_files("input[name=files]", str(evidence))
    page.click("form button.btn-primary >> text=提交整改完成报告")
    page.wait_for_url(DETAIL)

    sign_in(page, url, "loop_staff")
    page.goto(f"{url}/problems/{problem.pk}/")
    act(page, "退回整改", "巡查台账缺少十月份记录。")
    problem.refresh_from_db()
    assert problem.state == "rectification" and problem.rounds == 1

    sign_in(page, url, "loop_liaison")
    page.goto(f"{url}/problems/{problem.pk}/")
    act(page, "提交整改完成报告", "已补齐十月份巡查记录。", files=str(evidence))

    sign_in(page, url, "loop_staff")
    page.goto(f"{url}/problems/{problem.pk}/")
    act(page, "验收通过（销号）", "整改到位，同意销号。")
    problem.refresh_from_db()
    assert problem.state == "closed"
    assert "已销号" in page.content()
    timeline = list(ProblemEvent.objects.filter(problem=problem).order_by("pk").values_list("action", flat=True))
    assert timeline == ["create", "issue", "acknowledge", "report_completion", "reject", "report_completion", "accept"]
    for text in ("下发整改通知书", "签收", "退回整改", "巡查台账缺少十月份记录。", "验收通过（销号）"):
        assert text in page.content()
    page.screenshot(path=str(tmp_path / "loop.png"), full_page=True)
