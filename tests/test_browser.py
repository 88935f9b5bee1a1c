"""A real browser (Debian's chromium driven by Playwright) signs in and opens a department profile."""

import os
import shutil

import pytest

from lvzhi.core.roles import Role
from lvzhi.testing import PASSWORD, make_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        page = browser.new_page(locale="zh-CN")
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


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
