"""Demo data of the three lists (``lvzhi demo``): published power lists for ten departments (loaded
through the §2 importer), one edition of dynamic adjustments, adjustments in every review state,
and duty tasks with 三定 execution checks (each with a work ledger as evidence) for the current quarter."""

import datetime as dt
import io
from pathlib import Path

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.core import tabular
from lvzhi.core.audit import origin
from lvzhi.org.models import Department, MandateDuty

from ..models import PowerList, PowerType, current_period, period_end
from ..services import adjustments, checks, powerio, powers

DATA = Path(__file__).with_name("powers.yaml")
FIRST_EDITION = ("2025年版", dt.date(2025, 3, 31))
ADJUSTED_EDITION = ("2026年第1次调整", dt.date(2026, 6, 30))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Standard wording of 责任事项 and 追责情形 by type, as most published lists use.
RESPONSIBILITIES = {
    "licensing": "1.受理责任：公示依法应当提交的材料，一次性告知补正材料，依法受理或不予受理（不予受理的告知理由）。\n"
                 "2.审查责任：审查申请材料，需要现场核查的组织核查，提出审查意见。\n"
                 "3.决定责任：在法定期限内作出准予或不予许可的决定（不予许可的告知理由和救济途径）。\n"
                 "4.送达责任：制发并送达许可证件，依法公开许可信息。\n"
                 "5.事后监管责任：对被许可人从事许可事项的活动实施监督检查。\n6.其他法律法规规章规定应履行的责任。",
    "penalty": "1.立案责任：对发现、举报、移送的违法线索审查决定是否立案。\n2.调查责任：两名以上执法人员调查取证，出示证件，制作笔录。\n"
               "3.审查责任：审查案件事实、证据、依据和处罚幅度，重大案件集体讨论、法制审核。\n"
               "4.告知责任：告知拟处罚的事实、理由、依据和陈述、申辩、听证权利。\n5.决定责任：制作行政处罚决定书。\n"
               "6.送达责任：依法送达行政处罚决定书。\n7.执行责任：督促履行，依法申请强制执行。\n8.其他法律法规规章规定应履行的责任。",
    "coercion": "1.决定责任：报经负责人批准，告知当事人采取强制措施的理由、依据和依法享有的权利。\n"
                "2.实施责任：两名以上执法人员实施，制作现场笔录，当场交付决定书和清单。\n"
                "3.处理责任：在法定期限内查清事实，作出处理决定；不再需要采取措施的及时解除。\n4.其他法律法规规章规定应履行的责任。",
    "inspection": "1.检查责任：制定检查计划，按“双随机、一公开”要求实施，检查时出示执法证件。\n"
                  "2.处置责任：对检查中发现的违法行为依法处理，涉嫌犯罪的移送司法机关。\n3.公开责任：依法公开检查结果。\n"
                  "4.其他法律法规规章规定应履行的责任。",
    "payment": "1.受理责任：公示给付条件、标准和所需材料，依法受理申请。\n2.审核责任：审核申请人条件，必要时入户调查。\n"
               "3.公示责任：按规定公示审核结果。\n4.发放责任：按时足额发放。\n5.监管责任：动态管理，追回不当发放的资金。\n"
               "6.其他法律法规规章规定应履行的责任。",
    "confirmation": "1.受理责任：公示确认条件和材料，依法受理。\n2.审查责任：审查材料，必要时调查核实。\n"
                    "3.决定责任：在法定期限内作出确认或不予确认的决定。\n4.送达责任：送达确认文书并依法公开。\n5.其他法律法规规章规定应履行的责任。",
    "levy": "1.核定责任：依法核定征收对象、标准和数额，告知缴纳义务人。\n2.征收责任：开具合法票据，按规定足额征收。\n"
            "3.管理责任：征收资金按规定缴入国库、专款专用。\n4.其他法律法规规章规定应履行的责任。",
    "reward": "1.制定方案责任：公布奖励条件和程序。\n2.审核责任：审核推荐对象或举报线索。\n3.公示责任：按规定公示拟奖励对象。\n"
              "4.奖励责任：按规定给予奖励，为举报人保密。\n5.其他法律法规规章规定应履行的责任。",
    "other": "1.受理（启动）责任：依法受理或者主动启动。\n2.办理责任：依照法定程序办理。\n3.答复（公开）责任：依法答复当事人并公开结果。\n"
             "4.其他法律法规规章规定应履行的责任。",
}
ACCOUNTABILITY = {
    "licensing": "因不履行或不正确履行行政职责，有下列情形之一的，依法追究责任：1.对符合法定条件的申请不予受理、不予许可或者不在法定期限内作出决定的；"
                 "2.对不符合法定条件的申请准予许可或者超越法定职权作出许可决定的；3.未依法说明不受理或者不予许可理由的；4.违反法定程序实施许可的；"
                 "5.不依法履行监督职责或者监督不力造成严重后果的；6.索取或者收受他人财物、谋取其他利益的；7.其他违反法律法规规章规定的行为。",
    "penalty": "因不履行或不正确履行行政职责，有下列情形之一的，依法追究责任：1.没有法律或者事实依据实施行政处罚的；2.擅自改变行政处罚种类、幅度的；"
               "3.违反法定的行政处罚程序的；4.对应当予以制止和处罚的违法行为不予制止、处罚，致使公民、法人或者其他组织的合法权益、公共利益和社会秩序遭受损害的；"
               "5.应当移送司法机关追究刑事责任而不移送的；6.索取或者收受他人财物、谋取其他利益的；7.其他违反法律法规规章规定的行为。",
    "coercion": "有下列情形之一的，依法追究责任：1.没有法律、法规依据实施行政强制的；2.改变行政强制对象、条件、方式的；3.违反法定程序实施行政强制的；"
                "4.扩大查封、扣押范围的；5.使用或者损毁查封、扣押财物的；6.不再需要采取措施而不及时解除的；7.其他违反法律法规规章规定的行为。",
    "inspection": "有下列情形之一的，依法追究责任：1.不履行监督检查职责或者监督检查不力造成严重后果的；2.检查中滥用职权、玩忽职守、徇私舞弊的；"
                  "3.违反规定干扰被检查对象正常生产经营活动的；4.索取或者收受他人财物、谋取其他利益的；5.其他违反法律法规规章规定的行为。",
}
DEFAULT_ACCOUNTABILITY = ("有下列情形之一的，依法追究责任：1.对符合条件的不予办理或者不在规定期限内办理的；2.对不符合条件的予以办理的；"
                          "3.截留、挪用、私分有关资金或者财物的；4.违反法定程序的；5.索取或者收受他人财物、谋取其他利益的；"
                          "6.其他违反法律法规规章规定的行为。")


def power_rows():
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    codes = {label: code for code, label in PowerType.choices}
    codes["行政监督"] = PowerType.INSPECTION
    for department, rows in data["departments"].items():
        for code, type_label, name, sub_item, basis, unit in rows:
            kind = codes[type_label]
            yield [code, department, type_label, name, sub_item, basis, unit, RESPONSIBILITIES[kind],
                   ACCOUNTABILITY.get(kind, DEFAULT_ACCOUNTABILITY), ""]


def add_demo_data(stdout):
    if PowerList.objects.exists():
        stdout.write("三张清单：已有权责清单，跳过演示数据。")
        return
    with origin("命令 demo（三张清单）"):
        load_power_lists(stdout)
        add_adjustments()
        add_tasks_and_checks()
    stdout.write("三张清单：演示权责清单、动态调整、职责任务和三定执行检查已加载。")


def load_power_lists(stdout):
    """The first edition of every demo list goes through the §2 importer, as a city's would."""
    buffer = io.BytesIO(b"".join(tabular.iter_csv(powerio.HEADER, power_rows())))
    report = powerio.import_powers(buffer, "示范市权责清单2025年版.csv", None, label=FIRST_EDITION[0])
    if not report.committed:
        raise RuntimeError("\n".join(report.lines()))
    for line in report.lines()[:1]:
        stdout.write(f"三张清单：{line}")
    for power_list in PowerList.objects.all():
        powers.publish(power_list, None, label=FIRST_EDITION[0], published_on=FIRST_EDITION[1])


def _list(code):
    return PowerList.objects.get(department__code=code)


def _adjust(code, kind, item_code, reason, legal_basis, doc_no="", date=None, **elements):
    power_list = _list(code)
    data = {"kind": kind, "item_code": item_code, "reason": reason, "legal_basis": legal_basis,
            "approval_doc_no": doc_no, "approval_date": date, "delegated_to": elements.pop("delegated_to", "")}
    base = adjustments.elements_of(power_list, item_code) or {}
    data.update({**base, **elements})
    return adjustments.save_adjustment(None, power_list, data)


def add_adjustments():
    """SCJGJ publishes 2026年第1次调整; other lists have adjustments in each review state."""
    doc, day = "示编办发〔2026〕7号", dt.date(2026, 6, 20)
    made = [
        _adjust("SCJGJ", "add", "SCJGJ-CF-018", "《中华人民共和国电子商务法》配套规章施行，将网络交易平台监管纳入权责清单。",
                "《中华人民共和国电子商务法》第八十条；《网络交易监督管理办法》", doc, day,
                type=PowerType.PENALTY, name="对电子商务平台经营者未履行核验、登记义务的处罚",
                basis="《中华人民共和国电子商务法》第二十七条、第八十条", unit="网络交易监督管理与消费者权益保护科",
                responsibilities=RESPONSIBILITIES["penalty"], accountability=ACCOUNTABILITY["penalty"]),
        _adjust("SCJGJ", "add", "SCJGJ-JC-005", "落实网络交易监管职责，新增网络交易监督检查事项。",
                "《网络交易监督管理办法》第三十五条", doc, day,
                type=PowerType.INSPECTION, name="网络交易监督检查", basis="《网络交易监督管理办法》第三十五条",
                unit="网络交易监督管理与消费者权益保护科", responsibilities=RESPONSIBILITIES["inspection"],
                accountability=ACCOUNTABILITY["inspection"]),
        _adjust("SCJGJ", "cancel", "SCJGJ-XK-002", "按照省政府关于调整一批行政权力事项的决定，下放至县（市、区）实施。",
                "《山东省人民政府关于调整实施一批省级行政权力事项的决定》（示范文本）", doc, day,
                delegated_to="县（市、区）市场监督管理部门"),
        _adjust("SCJGJ", "change", "SCJGJ-CF-013", "《中华人民共和国市场主体登记管理条例实施细则》施行，补充设定依据。",
                "《中华人民共和国市场主体登记管理条例实施细则》第七十条", doc, day,
                basis="《中华人民共和国市场主体登记管理条例》第四十三条；《中华人民共和国市场主体登记管理条例实施细则》第七十条"),
        _adjust("SCJGJ", "change", "SCJGJ-QT-001", "投诉举报处理办法修正，更新设定依据和承办机构。",
                "《市场监督管理投诉举报处理暂行办法》（2022年修正）", doc, day,
                basis="《中华人民共和国消费者权益保护法》第三十九条、第四十六条；《市场监督管理投诉举报处理暂行办法》第三条",
                unit="网络交易监督管理与消费者权益保护科（12315投诉举报中心）"),
    ]
    for adj in made:
        adjustments.transition(None, adj, "submit")
        adjustments.transition(None, adj, "approve")
    powers.publish(_list("SCJGJ"), None, label=ADJUSTED_EDITION[0], published_on=ADJUSTED_EDITION[1],
                   note="根据法律法规立改废释和机构职能调整情况动态调整。")

    pending = _adjust("RSJ", "add", "RSJ-CF-011", "落实《保障农民工工资支付条例》，增加工资支付监管处罚事项。",
                      "《保障农民工工资支付条例》第五十五条", type=PowerType.PENALTY,
                      name="对施工总承包单位未按规定开设或者使用农民工工资专用账户的处罚",
                      basis="《保障农民工工资支付条例》第五十五条", unit="劳动关系科（农民工工作科）",
                      responsibilities=RESPONSIBILITIES["penalty"], accountability=ACCOUNTABILITY["penalty"])
    adjustments.transition(None, pending, "submit")
    returned = _adjust("ZJJ", "cancel", "ZJJ-XK-003", "燃气经营许可由城市管理部门实施，本部门不再保留。",
                       "示范市城市管理局三定规定第5项")
    adjustments.transition(None, returned, "submit")
    adjustments.transition(None, returned, "return", "请补充机构编制部门关于燃气管理职责划转的批复文号，并与市城市管理局会签。")
    approved = _adjust("CGJ", "change", "CGJ-QT-001", "城市运行管理服务平台建成，更新事项名称。",
                       "《城市运行管理服务平台建设指南》", "示编办发〔2026〕12号", dt.date(2026, 10, 15),
                       name="城市运行管理服务平台案件受理、派遣和督办")
    adjustments.transition(None, approved, "submit")
    adjustments.transition(None, approved, "approve")


TASKS = {
    "SCJGJ": {
        1: [("制定年度质量强市、食品安全和标准化工作要点并分解到科室", "每年3月底前印发"),
            ("组织开展质量提升和标准化示范项目评审", "全年不少于2批")],
        3: [("组织查处跨区域和重大市场违法案件", "重大案件按期办结率100%"),
            ("健全行政执法与刑事司法衔接机制，按规定移送涉嫌犯罪案件", "案件移送及时、台账完整")],
        6: [("12315投诉举报按时受理、分办和办结", "按时办结率不低于98%"),
            ("开展放心消费创建和线下无理由退货承诺单位培育", "全年新增承诺单位不少于200家")],
    },
    "RSJ": {
        3: [("开展高校毕业生、农民工等重点群体就业服务专项活动", "每季度不少于1次"),
            ("落实失业登记和就业困难人员认定", "按规定时限办理")],
        5: [("按时足额发放失业保险金", "发放准确率100%"), ("在法定时限内作出工伤认定决定", "超期率为0")],
    },
    "CGJ": {
        3: [("推进生活垃圾分类示范小区建设", "年度新增示范小区不少于30个")],
        4: [("开展渣土车沿途撒漏和随意倾倒建筑垃圾专项整治", "每季度开展1次集中整治")],
    },
}


def add_tasks_and_checks():
    period = current_period()
    for code, by_number in TASKS.items():
        department = Department.objects.get(code=code)
        for number, tasks in by_number.items():
            duty = MandateDuty.objects.get(mandate__department=department, mandate__is_current=True, number=number)
            for text, standard in tasks:
                checks.save_task(None, duty, {"text": text, "standard": standard, "unit": None, "active": True})
    scjgj = MandateDuty.objects.filter(mandate__department__code="SCJGJ", mandate__is_current=True).order_by("number")
    results = {2: "fulfilled", 4: "fulfilled", 5: "partly", 7: "fulfilled", 8: "not_applicable"}
    for duty in scjgj:
        if duty.number in results:
            report(duty, period, results[duty.number], accept=duty.number != 7)
        for task in duty.tasks.all():
            report(duty, period, "fulfilled" if task.position == 1 else "partly", task=task, accept=True)
    rsj = MandateDuty.objects.filter(mandate__department__code="RSJ", mandate__is_current=True).order_by("number")
    for duty in rsj[:2]:
        report(duty, period, "fulfilled", accept=False)
    returned = report(rsj[3], period, "partly", accept=False)
    checks.transition(None, returned, "return", "请补充城乡居民养老保险参保扩面的具体数据和佐证材料。")


NARRATIVES = {
    "fulfilled": "本期按计划完成该项职责，相关工作台账、会议纪要和统计报表已归档。",
    "partly": "本期完成了主要工作，但部分指标未达到年度进度要求，原因是跨部门数据共享尚未完全打通，已制定整改措施，下季度补齐。",
    "not_applicable": "本期无该项职责对应的具体业务。",
}


def ledger(check, result):
    """A small work ledger (工作台账) in XLSX as the check's evidence, as liaisons attach them."""
    target = check.task.text if check.task_id else check.duty.text
    rows = [[1, target[:60], "已完成" if result == "fulfilled" else "部分完成", period_end(check.period).isoformat()],
            [2, "报送季度工作情况并归档台账", "已完成", period_end(check.period).isoformat()]]
    out = io.BytesIO()
    tabular.write_xlsx(out, [tabular.Sheet("工作台账", ["序号", "工作内容", "完成情况", "日期"], rows)])
    name = f"{check.period_label}工作台账（第{check.duty.number}项职责）.xlsx"
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)


def report(duty, period, result, task=None, accept=True):
    check = checks.open_check(None, duty, period, task)
    checks.save_check(None, check, result, NARRATIVES.get(result, ""))
    if result != "not_applicable":
        checks.add_evidence(None, check, ledger(check, result))
    check = checks.transition(None, check, "submit")
    if accept:
        check = checks.transition(None, check, "accept", "材料齐全，情况属实。" if result == "fulfilled" else "")
    return check

