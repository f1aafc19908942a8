"""Datelines and dates: 本报包头12月24日电, 本报讯, 新华社北京3月5日电 open a story and name where and
when it was filed; a full date (2024年12月24日) written near the top dates a page."""
from __future__ import annotations

import datetime
import re

from kg.schema import Dateline

#: a dateline at the start of a paragraph (after a ■/□ mark): 本报包头12月24日电, 本报讯, 新华社北京3月5日电
DATELINE = re.compile(
    r"^[■□●◎]?[^\S\n]*(?P<agency>本报|新华社|中新社|中新网|人民网|新华网|央视网|光明网|人民日报|经济日报)"
    r"(?P<place>[\u4e00-\u9fff]{0,12}?)[^\S\n]*(?:(?P<month>[0-9０-９]{1,2})[^\S\n]*月[^\S\n]*(?P<day>[0-9０-９]{1,2})[^\S\n]*日)?[^\S\n]*[电讯]"
    r"(?=[^\u4e00-\u9fff]|记者|通讯员|$)",  # then a bracket, space or 记者: not 本报通讯员, not 新华社电视台
    re.MULTILINE,
)
_FULL_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
#: 本报讯（记者 祁晓燕）2月27日，… : a dateline without a date puts it first in the lead, after the credit
_LEAD_DATE = re.compile(r"[^\S\n]*(?:[（(][^（）()\n]{0,40}[）)])?[^\S\n]*(?P<month>[0-9０-９]{1,2})月(?P<day>[0-9０-９]{1,2})日[，,]")


def find_datelines(text: str) -> list[Dateline]:
    """Every dateline opening a paragraph of the cleaned ``text``: 本报包头12月24日电, 本报12月27日讯,
    本报讯, 新华社北京3月5日电.  本报讯 takes the date that opens its lead (本报讯（记者 …）2月27日，);
    month and day are None when there is none or an impossible one."""
    found = []
    for m in DATELINE.finditer(text):
        lead = None if m["month"] else _LEAD_DATE.match(text, m.end())
        dated = m if m["month"] else lead
        month, day = (int(dated["month"]), int(dated["day"])) if dated else (None, None)
        if month is not None and not (1 <= month <= 12 and 1 <= day <= 31):
            month = day = None
        found.append(Dateline(m.start("agency"), m.end(), m["place"], m.start("place"), m.end("place"),
                              month, day, m["agency"]))
    return found


def dateline_date(datelines: list[Dateline], year: int | None) -> str | None:
    """``YYYY-MM-DD`` of the first dateline with a month and day, in ``year``; None without a year."""
    if year is None:
        return None
    for line in datelines:
        if line.month is not None:
            try:
                return datetime.date(year, line.month, line.day).isoformat()
            except ValueError:  # 2月30日
                continue
    return None


def page_date(head: str) -> str | None:
    """``YYYY-MM-DD`` of the first full date written in ``head`` (2024年12月24日), or None."""
    m = _FULL_DATE.search(head)
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None
