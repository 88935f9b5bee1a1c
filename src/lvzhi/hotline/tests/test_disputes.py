"""Dispute subjects: grouping returned tickets, the office's decision (duty point, problem,
notification), dispatch rules out to the hotline, and who sees which subject."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lvzhi.core.libraries import library_path, load, read
from lvzhi.core.models import Notification
from lvzhi.core.roles import Role
from lvzhi.duties.models import DutyPoint, Matter, MatterLink
from lvzhi.org.models import BoundaryClause
from lvzhi.testing import client_for, make_department, make_mandate, make_user

from .. import services
from ..models import Dispute, Ticket
from ..rules import BUNDLED, load_rules
from ..synthetic import Generator
from .factories import make_return, make_ticket

FUMES = ["东城区人民路12号的烧烤店油烟直排，熏得居民没法开窗，油烟净化器形同虚设。",
         "建设路88号饭店油烟直排，熏得我们家没法开窗，净化器根本不开。",
         "光明路3号的面馆油烟直排，熏得居民开不了窗。",
         "文化路15号烧烤店油烟直排扰民，净化器形同虚设。"]
LIFTS = ["阳光花园的电梯经常困人，维保单位不管，电梯安全谁来监管？",
         "幸福里小区电梯经常困人，维保单位不来修，电梯安全谁来管？",
         "御景湾电梯又困人了，维保单位不管，谁来监管电梯安全？"]


@pytest.fixture
def city(db):
    """Four departments with a duty each, and two matters the finder can point to."""
    city = {
        "SHJJ": make_department("SHJJ", "示范市生态环境局", short_name="市生态环境局"),
        "CGJ": make_department("CGJ", "示范市城市管理局", short_name="市城管局"),
        "SCJGJ": make_department("SCJGJ", "示范市市场监督管理局", short_name="市场监管局"),
        "ZJJ": make_department("ZJJ", "示范市住房和城乡建设局", short_name="市住建局"),
    }
    make_mandate(city["SHJJ"], ["负责大气、水污染防治的监督管理，查处餐饮服务业油烟污染。"])
    make_mandate(city["CGJ"], ["负责市容环境卫生管理，查处占道经营和露天烧烤。"])
    make_mandate(city["SCJGJ"], ["负责特种设备安全监督管理，对电梯实施安全监察。"])
    make_mandate(city["ZJJ"], ["负责住宅小区物业管理活动的监督管理。"])
    fume = MatterLink.objects.create(matter=Matter.objects.create(code="M-FUME", name="餐饮油烟污染治理"),
                                     name="日常监管", position=1)
    point = DutyPoint.objects.create(link=fume, text="查处餐饮服务业油烟直排、未安装或者未正常使用油烟净化设施的行为",
                                     lead=city["SHJJ"], position=1)
    point.support.set([city["CGJ"]])
    lift = MatterLink.objects.create(matter=Matter.objects.create(code="M-PROPERTY", name="住宅小区物业管理"),
                                     name="设施设备", position=1)
    DutyPoint.objects.create(link=lift, text="督促物业服务企业做好小区共用设施设备维护", lead=city["ZJJ"], position=1)
    return city


@pytest.fixture
def disputed(city):
    for i, text in enumerate(FUMES):
        ticket = make_ticket(f"2025-06-0{i + 1} 09:00", handler=city["SHJJ"], content=text)
        make_return(ticket, city["CGJ"], city["SHJJ"], when=f"2025-06-0{i + 1} 11:00", reason="餐饮油烟不归城管管")
    for i, text in enumerate(LIFTS):
        ticket = make_ticket(f"2025-07-0{i + 1} 09:00", handler=city["SCJGJ"], content=text)
        make_return(ticket, city["ZJJ"], city["SCJGJ"], when=f"2025-07-0{i + 1} 11:00", reason="电梯属特种设备")
    make_ticket("2025-07-09 09:00", handler=city["SCJGJ"], content="超市卖过期牛奶")
    # Everyday tickets nobody returned: the background the text weights are learned from.
    for i, row in enumerate(Generator(seed=7, start=dt.date(2025, 1, 1), days=150).tickets(80)):
        make_ticket(f"2025-05-01 0{i % 10}:00", content=row.row[2], address=row.row[4])
    return services.group_disputes(None)


def test_returned_tickets_group_into_subjects(disputed, city):
    assert disputed["assigned"] == 7 and disputed["created"] == 2
    fumes = Dispute.objects.get(tickets__content=FUMES[0])
    assert fumes.ticket_count == 4 and fumes.return_count == 4
    assert set(fumes.departments.values_list("code", flat=True)) == {"SHJJ", "CGJ"}
    assert "油烟" in fumes.title and fumes.finder  # the finder's reading of the subject
    assert Ticket.objects.filter(dispute__isnull=True).count() == 81  # never returned, never disputed
    again = services.group_disputes(None)
    assert again["assigned"] == 0 and Dispute.objects.count() == 2


def test_a_new_returned_ticket_joins_its_subject(disputed, city):
    ticket = make_ticket("2025-08-01 09:00", handler=city["SHJJ"], content="新华路烧烤店油烟直排，熏得没法开窗。")
    make_return(ticket, city["CGJ"], when="2025-08-01 11:00")
    assert services.group_disputes(None)["created"] == 0
    ticket.refresh_from_db()
    assert ticket.dispute.ticket_count == 5


# As citizens say it: times, streets and filler words around the two subjects.
NOISY_FUMES = [
    ("每天晚上七点到十点，文化路15号楼下的烧烤店油烟直排，油烟净化器形同虚设，熏得没法开窗。", "东城区文化路15号"),
    ("建设路88号饭店油烟直排，晚上十点以后熏得我们家没法开窗，净化器根本不开，帮忙管一管。", "东城区建设路88号"),
    ("光明路3号的面馆每天中午十二点油烟直排，熏得居民开不了窗，油烟净化器形同虚设。", "东城区光明路3号"),
    ("新华路20号烤肉店没装油烟净化设施，油烟超标排放，老板说好几天了也不管。", "东城区新华路20号"),
    ("阳光花园门口的川菜馆未正常使用油烟净化设施，油烟直排，麻烦查处。", "东城区阳光花园3号楼"),
]
NOISY_LIFTS = [
    ("幸福里小区3号楼的电梯经常困人，昨天晚上八点又困了半小时，维保单位不管。", "西关街道幸福里小区3号楼"),
    ("御景湾5号楼电梯三个月困人四次，维保单位不来修，电梯安全谁来监管？", "西关街道御景湾5号楼"),
    ("金色家园电梯又困人了，每天早上上班都提心吊胆，维保单位迟迟不处理。", "西关街道金色家园2号楼"),
]
NOISE = ["每天", "晚上", "中午", "七点", "十点", "十二点", "八点", "三个月", "好几天", "帮忙", "老板", "麻烦", "门口",
         "昨天", "半小时", "四次", "文化路", "建设路", "光明路", "新华路", "阳光花园", "幸福里", "御景湾", "金色家园", "西关", "东城区"]


@pytest.fixture
def noisy(city):
    """Returned tickets worded as citizens word them, amid the everyday tickets of the city."""
    def add(rows, handler, source, day):
        for i, (text, address) in enumerate(rows):
            ticket = make_ticket(f"2025-{day}-{i + 1:02d} 09:00", handler=handler, content=text, address=address)
            make_return(ticket, source, handler, when=f"2025-{day}-{i + 1:02d} 11:00")

    add(NOISY_FUMES, city["SHJJ"], city["CGJ"], "06")
    add(NOISY_LIFTS, city["SCJGJ"], city["ZJJ"], "07")
    for i, row in enumerate(Generator(seed=7, start=dt.date(2025, 1, 1), days=150).tickets(80)):
        make_ticket(f"2025-05-01 0{i % 10}:00", content=row.row[2], address=row.row[4])
    return city


def test_subject_titles_name_the_matter_and_carry_no_times_places_or_filler(noisy):
    services.group_disputes(None)
    fumes = Dispute.objects.get(tickets__content=NOISY_FUMES[0][0])
    assert fumes.ticket_count == len(NOISY_FUMES)
    assert fumes.duty_point.link.matter.code == "M-FUME"
    assert fumes.title.startswith("餐饮油烟污染治理：") and "油烟" in fumes.title
    lifts = Dispute.objects.get(tickets__content=NOISY_LIFTS[0][0])
    assert lifts.ticket_count == len(NOISY_LIFTS) and "电梯" in lifts.title
    for subject in Dispute.objects.all():
        assert not [w for w in NOISE if w in subject.title], subject.title
        assert not [w for w in NOISE if w in subject.keywords], subject.keywords


def test_subjects_on_the_same_duty_point_are_one_subject(noisy):
    """With a threshold no two tickets' wording reaches, every ticket starts its own subject; those
    the finder puts on the same duty point still end up as one."""
    data = read(BUNDLED)
    data["version"] = "test-strict"
    data["disputes"]["similarity"] = 0.95
    load_rules(data, "strict.yaml")
    services.group_disputes(None)
    fumes = Dispute.objects.get(tickets__content=NOISY_FUMES[0][0])
    assert fumes.duty_point.link.matter.code == "M-FUME"
    assert fumes.ticket_count == len(NOISY_FUMES) and fumes.return_count == len(NOISY_FUMES)
    assert Dispute.objects.filter(duty_point=fumes.duty_point).count() == 1
    assert Dispute.objects.filter(tickets__content=NOISY_LIFTS[0][0]).get().ticket_count == 1  # no duty point: alone


def test_decision_creates_a_duty_point_opens_a_problem_and_tells_the_departments(disputed, city, staff_user):
    load([library_path("problem_taxonomy.yaml")])
    liaison = make_user("cg", Role.DEPARTMENT, department=city["CGJ"])
    fumes = Dispute.objects.get(tickets__content=FUMES[0])
    link = MatterLink.objects.get(matter__code="M-FUME")
    outcome = services.decide(
        staff_user, fumes, lead=city["SHJJ"], support=[city["CGJ"]], basis_text="《中华人民共和国大气污染防治法》第八十一条",
        reasoning="餐饮服务业油烟污染由生态环境部门牵头监管，城管部门配合查处。", point_action="create", link=link,
        point_text="查处餐饮服务业油烟超标排放，督促安装使用油烟净化设施",
    )
    decision = outcome.decision
    point = DutyPoint.objects.get(pk=decision.duty_point_id)
    assert point.lead == city["SHJJ"] and list(point.support.all()) == [city["CGJ"]] and point.link == link
    fumes.refresh_from_db()
    assert fumes.state == Dispute.State.DECIDED and fumes.duty_point == point
    from lvzhi.problems.models import Problem

    problem = Problem.objects.get(pk=decision.problem_id)
    assert problem.category.name == "部门间职责边界不清" and problem.source == "hotline"
    assert problem.department == city["SHJJ"] and problem.duty_point == point
    assert Notification.objects.filter(recipient=liaison, title__contains="已认定").exists()
    # The decided subject's returns from the lead-or-support departments count as overturned,
    # and the routing suggestion now names the lead first, citing the rule.
    first = services.suggest("人民路饭店油烟直排，熏得居民没法开窗")[0]
    assert first["code"] == "SHJJ" and first["evidence"][0]["kind"] == "decision"


def test_decision_needs_a_basis_and_an_office_user(disputed, city, staff_user):
    fumes = Dispute.objects.get(tickets__content=FUMES[0])
    with pytest.raises(ValidationError):
        services.decide(staff_user, fumes, lead=city["SHJJ"], reasoning="理由")
    hotline = make_user("hl", Role.HOTLINE)
    with pytest.raises(PermissionDenied):
        services.decide(hotline, fumes, lead=city["SHJJ"], reasoning="理由", basis_text="条例")


def test_decision_can_update_an_existing_duty_point(disputed, city, staff_user):
    lifts = Dispute.objects.get(tickets__content=LIFTS[0])
    point = DutyPoint.objects.filter(link__matter__code="M-PROPERTY").first()
    services.decide(staff_user, lifts, lead=city["SCJGJ"], reasoning="电梯属特种设备", basis_text="《特种设备安全法》第五条",
                    point_action="update", point=point, open_problem=False)
    point.refresh_from_db()
    assert point.lead == city["SCJGJ"] and "特种设备安全法" in point.basis


def test_dispatch_rules_export_and_api(disputed, city, staff_user):
    fumes = Dispute.objects.get(tickets__content=FUMES[0])
    services.decide(staff_user, fumes, lead=city["SHJJ"], support=[city["CGJ"]], basis_text="大气污染防治法第八十一条",
                    reasoning="生态环境部门牵头", keywords="油烟 餐饮", open_problem=False)
    client = client_for(make_user("hl", Role.HOTLINE))
    rules = client.get("/api/hotline/dispatch-rules/").json()["results"]
    assert rules[0]["lead"] == "SHJJ" and rules[0]["support"] == ["CGJ"] and rules[0]["keywords"] == ["油烟", "餐饮"]
    response = client.get(reverse("hotline:dispatch-rules-export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["派单规则"]
    assert sheet["F2"].value == "示范市生态环境局" and sheet["D2"].value == "油烟 餐饮"


def test_department_sees_only_the_subjects_involving_it(disputed, city):
    liaison = make_user("zj", Role.DEPARTMENT, department=city["ZJJ"])
    visible = Dispute.objects.visible_to(liaison)
    assert [d.ticket_count for d in visible] == [3]
    fumes = Dispute.objects.get(tickets__content=FUMES[0])
    assert client_for(liaison).get(reverse("hotline:dispute", args=[fumes.pk])).status_code == 404
    assert client_for(liaison).get(reverse("hotline:decide", args=[fumes.pk])).status_code == 403


def test_office_can_cite_a_third_departments_mandate_without_the_page_listing_every_duty(disputed, city, staff_user):
    """The 商务局 took no part in the dispute, yet its 三定 settles it: the form accepts any current
    duty or clause, and lists another department's only once that department is chosen."""
    swj = make_department("SWJ", "示范市商务局", short_name="市商务局")
    mandate = make_mandate(swj, [f"负责商务领域第{i}项工作。" for i in range(1, 60)] + ["负责餐饮行业管理，督促餐饮企业落实油烟治理责任。"])
    clause = BoundaryClause.objects.create(mandate=mandate, topic="餐饮行业管理", text="市商务局负责餐饮行业管理。", position=1)
    duty = mandate.duties.get(number=60)
    fumes = Dispute.objects.get(tickets__content=FUMES[0])
    client, url = client_for(staff_user), reverse("hotline:decide", args=[fumes.pk])
    page = client.get(url).content.decode()
    assert "示范市商务局" in page.split('name="basis_department"')[1].split("</select>")[0]
    duties = page.split('name="basis_duty"')[1].split("</select>")[0]
    assert "市商务局" not in duties and "市生态环境局 第1项" in duties  # the departments involved
    chosen = client.get(url, {"basis_department": swj.pk, "basis_text": "《餐饮业管理办法》"}).content.decode()
    duties = chosen.split('name="basis_duty"')[1].split("</select>")[0]
    assert duties.count("市商务局 第") == 60 and "市生态环境局 第1项" in duties
    assert "餐饮行业管理" in chosen.split('name="basis_clause"')[1].split("</select>")[0]
    assert "《餐饮业管理办法》</textarea>" in chosen  # what was typed so far comes back
    response = client.post(url, {"lead": swj.pk, "basis_duty": duty.pk, "basis_clause": clause.pk,
                                 "reasoning": "餐饮行业管理由商务部门牵头。", "point_action": "none"})
    assert response.status_code == 302
    decision = fumes.decisions.get(is_current=True)
    assert (decision.lead, decision.basis_duty, decision.basis_clause) == (swj, duty, clause)
    # A refused form keeps the third department's choice listed.
    again = client.post(url, {"lead": swj.pk, "support": [swj.pk], "basis_duty": duty.pk, "reasoning": "理由",
                              "point_action": "none"}).content.decode()
    assert f'<option value="{duty.pk}" selected>' in again
