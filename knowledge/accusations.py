"""What makes a message a report (检举控告) and who it accuses (条例第三十条): the titles of
officials, other names of the departments, and the acts — read from accusations.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .datafile import DataFile, load_toml, require_str_list
from .departments import Taxonomy

ACCUSATIONS_FILE = "accusations.toml"


@dataclass(frozen=True, slots=True)
class AccusationRules:
    discipline_department: str  # takes every report; the reporter's identity is shown to its staff
    local_body: str  # the department answering for village and community officials
    titles: tuple[str, ...]  # official by themselves: 科员, 局长, 民警
    staff: tuple[str, ...]  # official only next to a department's name: 工作人员, 主任
    local: tuple[str, ...]  # village and community officials: 村支书, 村主任
    generic: tuple[str, ...]  # endings of bodies not in the taxonomy (局, 法院): their staff are officials
    others: tuple[str, ...]  # parties who are no officials (开发商, 物业): an act after them is theirs
    bodies: dict[str, str]  # other names of departments → department id
    misconduct: tuple[str, ...]  # 违纪违法: a report
    patterns: tuple[re.Pattern[str], ...]
    conduct: tuple[str, ...]  # 作风、服务: sealed from the accused, but still theirs to handle
    report: tuple[str, ...]  # 举报, 检举


def parse_accusations(file: DataFile, taxonomy: Taxonomy) -> AccusationRules:
    departments = taxonomy.departments
    data = file.data

    def department(key: str, value: object, line: int | None) -> str:
        if not isinstance(value, str) or value not in departments:
            raise file.error(f"{key} 应为 departments.toml 中的部门 id，不是 {value!r}", line)
        return value

    discipline = department(
        "discipline_department", data.get("discipline_department"), file.key_line("discipline_department")
    )
    local_body = department("local_body", data.get("local_body"), file.key_line("local_body"))
    officials = data.get("officials")
    acts = data.get("acts")
    if not isinstance(officials, dict) or not isinstance(acts, dict):
        raise file.error("缺少 [officials] 或 [acts] 表")
    line = file.text_line("[officials]")
    titles, staff, local, generic, others = (
        require_str_list(file, officials, k, line) for k in ("titles", "staff", "local", "generic", "others")
    )
    bodies_table = data.get("bodies", {})
    if not isinstance(bodies_table, dict):
        raise file.error('[bodies] 应为 "叫法" = "部门 id" 的形式')
    bodies = {
        name.strip(): department(name, value, file.key_line(name) or file.text_line(f'"{name}"'))
        for name, value in bodies_table.items()
    }
    line = file.text_line("[acts]")
    misconduct, conduct, report = (require_str_list(file, acts, k, line) for k in ("misconduct", "conduct", "report"))
    patterns = []
    for raw in acts.get("patterns", []):
        try:
            patterns.append(re.compile(raw))
        except (re.error, TypeError) as exc:
            raise file.error(f"patterns 中的正则表达式有误：{raw!r}（{exc}）", file.text_line(str(raw))) from None
    return AccusationRules(
        discipline_department=discipline,
        local_body=local_body,
        titles=tuple(titles),
        staff=tuple(staff),
        local=tuple(local),
        generic=tuple(generic),
        others=tuple(others),
        bodies=bodies,
        misconduct=tuple(misconduct),
        patterns=tuple(patterns),
        conduct=tuple(conduct),
        report=tuple(report),
    )


def load_accusations(taxonomy: Taxonomy, text: str | None = None) -> AccusationRules:
    return parse_accusations(load_toml(ACCUSATIONS_FILE, text), taxonomy)
