"""Factories for the duties tests: power lists in editions, §2 files, matters and checks."""

import datetime as dt
import io

import openpyxl

from lvzhi.duties.models import (
    DutyPoint,
    Matter,
    MatterLink,
    PowerItem,
    PowerList,
    PowerListEdition,
)
from lvzhi.duties.services import powerio

HEADER = powerio.HEADER


def row(code, department, name, type_label="行政处罚", basis="《示范条例》第一条", sub_item="", unit="",
        responsibilities="", accountability="", note=""):
    """One §2 row, in the order of HEADER."""
    return [code, department, type_label, name, sub_item, basis, unit, responsibilities, accountability, note]


def xlsx_bytes(rows, header=HEADER, title_rows=()):
    book = openpyxl.Workbook()
    sheet = book.active
    for title in title_rows:
        sheet.append([title])
    sheet.append(list(header))
    for r in rows:
        sheet.append(list(r))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8", header=HEADER):
    lines = [",".join(header)] + [",".join(str(v) for v in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def import_file(content, filename, user=None, **kwargs):
    return powerio.import_powers(io.BytesIO(content), filename, user, **kwargs)


def make_power_list(department, items=(), status=PowerListEdition.Status.PUBLISHED, label="2025年版",
                    published_on=dt.date(2025, 3, 31)):
    """A list with one edition holding ``items`` = [(code, name, type, basis)…]."""
    power_list = PowerList.objects.get_or_create(department=department)[0]
    published = status == PowerListEdition.Status.PUBLISHED
    edition = PowerListEdition.objects.create(
        power_list=power_list, label=label, status=status, is_current=published,
        published_on=published_on if published else None,
    )
    for position, (code, name, power_type, basis) in enumerate(items, 1):
        PowerItem.objects.create(edition=edition, department=department, code=code, name=name, type=power_type,
                                 basis=basis, position=position, responsibilities=f"{name}的责任事项",
                                 accountability=f"{name}的追责情形")
    return power_list, edition


def make_matter(code, lead, support=(), published=True, name=None, links=(("环节一", "职责一"),)):
    matter = Matter.objects.create(code=code, name=name or f"{code}事项", published=published)
    for position, (link_name, text) in enumerate(links, 1):
        link = MatterLink.objects.create(matter=matter, position=position, name=link_name)
        point = DutyPoint.objects.create(link=link, position=1, text=text, lead=lead, basis="《示范条例》")
        point.support.set(support)
    return matter
