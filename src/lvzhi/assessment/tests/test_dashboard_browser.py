"""The dashboard in a real browser (chromium via Playwright): ECharts loads from the site under the
CSP, and clicking bars drills from category to department to criterion."""

import pytest

from lvzhi.core.roles import Role
from lvzhi.testing import PASSWORD, make_user

from ..services import campaigns
from .factories import assessed, load_libraries, open_campaign, review_all

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser_page):
    return browser_page


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def click_bar(page, index):
    """Click the ``index``-th bar of the drill-down chart at its pixel position."""
    page.wait_for_timeout(1100)  # ECharts grows the bars for one second: click where they end up
    x, y = page.evaluate(
        """(i) => { const el = document.getElementById('drill-chart'); const chart = echarts.getInstanceByDom(el);
             const value = chart.getOption().series[0].data[i]; const p = chart.convertToPixel({seriesIndex: 0}, [i, value / 2]);
             const box = el.getBoundingClientRect(); return [box.left + p[0], box.top + p[1]]; }""", index)
    page.mouse.click(x, y)


@pytest.mark.django_db(transaction=True)
def test_office_drills_down_and_a_department_stops_at_other_departments(live_server, page, tmp_path):
    load_libraries()
    staff = make_user("browser_staff", Role.OFFICE_STAFF)
    econ = assessed("ECON", "economic", "经济局")
    assessed("ENF", "enforcement", "执法局")
    make_user("browser_liaison", Role.DEPARTMENT, department=econ)
    campaign = open_campaign(staff)
    review_all(staff, campaign)
    campaigns.publish_campaign(staff, campaigns.score_campaign(staff, campaign))
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def sign_in(username):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/assessment/dashboard/")
        page.locator("#dashboard[data-loaded=true]").wait_for()

    sign_in("browser_staff")
    click_bar(page, 1)
    expect(page.locator("#drill-title")).to_contain_text("社会管理和执法监督部门")
    click_bar(page, 0)
    expect(page.locator("#drill-title")).to_contain_text("执法局")
    page.screenshot(path=str(tmp_path / "office.png"), full_page=True)
    assert page.locator("#drill-note").inner_text().startswith("点击柱条")

    page.context.clear_cookies()
    sign_in("browser_liaison")
    click_bar(page, 1)
    expect(page.locator("#drill-title")).to_contain_text("社会管理和执法监督部门")
    click_bar(page, 0)
    expect(page.locator("#drill-note")).to_contain_text("仅可查看本部门")
    assert not [e for e in errors if "Content Security Policy" in e]
