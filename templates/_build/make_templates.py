"""Scaffold for new .docx templates under templates/ (run: .venv/bin/python templates/_build/make_templates.py [PATH ...]).

The .docx files under templates/ are the source of truth: a county clerk edits them in Word or WPS
(moves a field, changes a label), and that edit must survive. So this script only *creates* a
template that does not exist yet — the first draft of a new form, with every tag written in one
run — and refuses to overwrite an existing one. Name the templates to create (``common/receipt.docx``)
or give none to create every missing one. Field names must match the field maps in forms/;
``agent-desk catalog check`` verifies both, and catches tags Word later split or smart-quoted.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from formkit import DATE_BLANK, SIGN, Form, label, left  # noqa: E402
from bundles import BUNDLE_TEMPLATES  # noqa: E402
from items import ITEM_TEMPLATES  # noqa: E402

TEMPLATES = Path(__file__).resolve().parents[1]


def notice() -> Form:
    form = Form(body_size=12)
    form.title("一次性告知书", size=20)
    form.para("编号：{{ case_no }}", align="r", size=10.5, after=6)
    form.para("{{ client_name }}：", align="l")
    form.para("您申请办理的“{{ item_name }}”（事项编码：{{ item_code }}，{{ item_type }}）事项，"
              "现将办理条件、所需材料、办理时限等一次性告知如下，请按要求准备：", indent=True, line=1.5)
    form.para(("一、受理条件", {"bold": True}), before=6, line=1.5)
    form.loop("for c in conditions", "{{ loop.index }}. {{ c }}", indent=True, line=1.5)
    form.para(("二、申请材料（☑ 已收取　☐ 尚未提交）", {"bold": True}), before=6, after=4, line=1.5)
    table = form.table([1.2, 6.4, 2.5, 1.2, 1.8, 2.9], size=10.5)
    table.row(label("序号"), label("材料名称"), label("原件/复印件"), label("份数"), label("要求"),
              label("提交情况"))
    table.loop("for d in documents", "{{ d.no }}", left("{{ d.name }}"), "{{ d.original }}",
               "{{ d.copies }}", "{{ d.required }}{{ d.deferrable }}", left("{{ d.mark }} {{ d.status }}"))
    form.para("{% if missing %}尚缺材料 {{ missing|length }} 件，请补齐后再次提交；可容缺的材料可先受理，"
              "按承诺日期补交。{% else %}所需材料已全部收齐。{% endif %}", indent=True, before=4, line=1.5)
    form.para(("三、办理时限", {"bold": True}), before=6, line=1.5)
    form.para("法定办结时限 {{ legal_days }} 个工作日，承诺办结时限 {{ promised_days }} 个工作日"
              "（{{ service_mode }}）。", indent=True, line=1.5)
    form.para(("四、收费标准", {"bold": True}), "　{{ fee_text }}", line=1.5)
    form.para(("五、办理机构", {"bold": True}), "　{{ department }}（实施主体：{{ implementing_body }}）；"
              "咨询电话：{{ contact_phone|blank(10) }}", line=1.5)
    form.para(("六、设定依据", {"bold": True}), "　{{ legal_basis }}", line=1.5)
    form.para("代办员：{{ agent_name }}　　联系电话：{{ agent_phone }}　　{{ service_room }}",
              align="l", before=12)
    form.para("告知日期：{{ today }}", align="r", before=6)
    form.para("申请人签收：" + SIGN, align="r", before=10)
    return form


def proxy_authorisation() -> Form:
    form = Form(body_size=12)
    form.title("代 办 委 托 书", size=20, after=10)
    table = form.table([2.2, 3.2, 1.6, 2.0, 2.4, 4.6], size=11)
    table.row(label("委托人", 6), height=0.7)
    table.row(label("姓名"), "{{ client_name }}", label("性别"), "{{ client_sex }}", label("联系电话"),
              "{{ client_phone }}")
    table.row(label("身份证号码"), left("{{ client_id }}", 3), label("所属村"), "{{ client_village }}")
    table.row(label("住址"), left("{{ client_address }}", 5))
    table.row(label("受托人（代办员）", 6), height=0.7)
    table.row(label("姓名"), "{{ agent_name }}", label("电话"), left("{{ agent_phone }}", 2),
              "{{ service_room }}")
    table.row(label("身份证号码"), left("{{ agent_id }}", 5))
    form.para("本人{{ client_name }}自愿委托{{ agent_name }}同志作为代办人，代为办理“{{ item_name }}”"
              "（办件编号：{{ case_no }}）事项。委托权限如下：", indent=True, before=10, line=1.6)
    for text in ("代为提交、补正申请材料", "代为签收补正通知等文书", "代为领取办理结果及相关证照",
                 "代为查询办理进度"):
        form.para("☑ " + text, indent=True, line=1.5)
    form.para("委托期限：自{{ entrusted_on }}起至该事项办结并送达之日止。", indent=True, line=1.6)
    form.para("委托人承诺所提供的信息和材料真实、有效；因材料不实产生的后果由委托人承担。"
              "代办员应妥善保管委托人材料，不得泄露个人信息，不得收取任何费用。", indent=True, line=1.6)
    form.signatures(("委托人（签字并按手印）：" + SIGN, "受托人（签字）：" + SIGN), before=24)
    form.para("{{ today }}", align="r", before=12)
    return form


def org_proxy_authorisation() -> Form:
    """An enterprise entrusts the chief service officer: signed by its legal representative, sealed."""
    form = Form(body_size=12)
    form.title("代 办 委 托 书", size=20, after=4)
    form.para("（企业和其他组织适用）", align="c", size=10.5, after=8)
    table = form.table([2.8, 4.2, 2.8, 4.2], size=11)
    table.row(label("委托单位", 4), height=0.7)
    table.row(label("单位名称"), left("{{ org_name }}", 3))
    table.row(label("统一社会\n信用代码"), left("{{ credit_code }}", 3))
    table.row(label("注册地址"), left("{{ org_address }}", 3))
    table.row(label("法定代表人"), "{{ legal_rep_name }}", label("身份证号码"), "{{ legal_rep_id }}")
    table.row(label("联系人"), "{{ contact_name }}", label("联系电话"), "{{ contact_phone }}")
    table.row(label("受托人（代办员/首席服务官）", 4), height=0.7)
    table.row(label("姓名"), "{{ agent_name }}", label("联系电话"), "{{ agent_phone }}")
    table.row(label("身份证号码"), "{{ agent_id }}", label("服务单位"), "{{ service_room }}")
    form.para("我单位自愿委托{{ agent_name }}同志作为代办人，代为办理“{{ item_name }}”"
              "（办件编号：{{ case_no }}）事项。委托权限如下：", indent=True, before=10, line=1.6)
    for text in ("代为提交、补正申请材料", "代为签收补正通知、审批决定等文书", "代为领取办理结果及相关证照",
                 "代为查询办理进度、协调相关部门"):
        form.para("☑ " + text, indent=True, line=1.5)
    form.para("委托期限：自{{ entrusted_on }}起至该事项办结并送达之日止。", indent=True, line=1.6)
    form.para("我单位承诺所提供的信息和材料真实、有效；因材料不实产生的后果由我单位承担。"
              "代办人应妥善保管我单位材料，不得泄露商业秘密，不得收取任何费用。", indent=True, line=1.6)
    boxes = form.table([7.0, 7.0], size=11)
    boxes.row(label("法定代表人签字"), label("单位公章"), height=0.7)
    boxes.row("\n\n\n" + SIGN, "\n\n\n（盖章）", height=3.2)
    form.signatures(("受托人（签字）：" + SIGN, "{{ today }}"), before=18)
    return form


def org_receipt() -> Form:
    form = Form(body_size=11)
    form.title("收 件 回 执", size=20)
    form.para("办件编号：", ("{{ case_no }}", {"bold": True}), align="r", after=6)
    table = form.table([2.6, 4.2, 2.6, 4.4])
    table.row(label("申请单位"), left("{{ org_name }}", 3))
    table.row(label("统一社会\n信用代码"), "{{ credit_code }}", label("联系人"), "{{ contact_name }}")
    table.row(label("联系电话"), "{{ contact_phone }}", label("法定代表人"), "{{ legal_rep_name }}")
    table.row(label("申请事项"), left("{{ item_name }}（{{ item_code }}）", 3))
    table.row(label("受理日期"), "{{ accepted_on }}", label("承诺办结日期"), "{{ due_on }}")
    form.para(("收取材料清单", {"bold": True}), align="c", before=8, after=4)
    docs = form.table([1.2, 5.6, 2.5, 1.2, 2.2, 3.0])
    docs.row(label("序号"), label("材料名称"), label("原件/复印件"), label("份数"), label("状态"),
             label("容缺补交日期"))
    docs.loop("for d in documents", "{{ d.no }}", left("{{ d.name }}"), "{{ d.original }}", "{{ d.copies }}",
              "{{ d.status }}", "{{ d.promised_on }}")
    form.para("说明：贵单位的申请材料已收到。办件编号是查询办理进度的凭据，请妥善保存。",
              indent=True, before=8, line=1.5)
    form.para("代办员：{{ agent_name }}　　联系电话：{{ agent_phone }}　　{{ service_room }}",
              align="l", before=8)
    form.signatures(("经办人签字：" + SIGN, "收件日期：{{ today }}"), before=14)
    return form


def bundle_notice() -> Form:
    """一次性告知书 of a whole 一件事: every item, its order, and each document asked for once."""
    form = Form(body_size=12)
    form.title("“{{ bundle_name }}”一次性告知书", size=18)
    form.para("编号：{{ request_no }}", align="r", size=10.5, after=6)
    form.para("{{ client_name }}：", align="l")
    form.para("您申请的“{{ bundle_name }}”包含以下 {{ items|length }} 个事项，一次申请、一套材料、"
              "由代办员全程代办。办理顺序和所需材料一次性告知如下：", indent=True, line=1.5)
    form.para(("一、包含事项和办理顺序", {"bold": True}), before=6, after=4, line=1.5)
    table = form.table([1.2, 6.0, 4.4, 2.4, 2.0], size=10.5)
    table.row(label("序号"), label("事项名称"), label("办理部门"), label("前置事项"), label("承诺时限"))
    table.loop("for i in items", "{{ i.no }}", left("{{ i.name }}"), left("{{ i.department }}"),
               "{{ i.after }}", "{{ i.promised_days }}个工作日")
    form.para(("二、申请材料（同一材料只需提交一次）", {"bold": True}), before=6, after=4, line=1.5)
    docs = form.table([1.2, 6.4, 2.4, 6.0], size=10.5)
    docs.row(label("序号"), label("材料名称"), label("原件/复印件"), label("用于事项"))
    docs.loop("for d in documents", "{{ d.no }}", left("{{ d.name }}"), "{{ d.original }}", left("{{ d.used_by }}"))
    form.para(("三、办理时限", {"bold": True}), "　全部事项预计于{{ due_on }}前办结。", before=6, line=1.5)
    form.para("代办员：{{ agent_name }}　　联系电话：{{ agent_phone }}　　{{ service_room }}",
              align="l", before=12)
    form.para("告知日期：{{ today }}", align="r", before=6)
    form.para("申请人签收：" + SIGN, align="r", before=10)
    return form


def receipt() -> Form:
    form = Form(body_size=11)
    form.title("收 件 回 执", size=20)
    form.para("办件编号：", ("{{ case_no }}", {"bold": True}), align="r", after=6)
    table = form.table([2.4, 4.4, 2.4, 4.6])
    table.row(label("申请人"), "{{ client_name }}", label("身份证号码"), "{{ masked_id }}")
    table.row(label("联系电话"), "{{ phone }}", label("所属村"), "{{ village }}")
    table.row(label("申请事项"), left("{{ item_name }}（{{ item_code }}）", 3))
    table.row(label("受理日期"), "{{ accepted_on }}", label("承诺办结日期"), "{{ due_on }}")
    form.para(("收取材料清单", {"bold": True}), align="c", before=8, after=4)
    docs = form.table([1.2, 5.6, 2.5, 1.2, 2.2, 3.0])
    docs.row(label("序号"), label("材料名称"), label("原件/复印件"), label("份数"), label("状态"),
             label("容缺补交日期"))
    docs.loop("for d in documents", "{{ d.no }}", left("{{ d.name }}"), "{{ d.original }}", "{{ d.copies }}",
              "{{ d.status }}", "{{ d.promised_on }}")
    form.para("说明：您的申请材料已收到。办件编号是查询办理进度的凭据，请妥善保存；"
              "标为“容缺后补”的材料请在补交日期前交给代办员。", indent=True, before=8, line=1.5)
    form.para("代办员：{{ agent_name }}　　联系电话：{{ agent_phone }}　　{{ service_room }}",
              align="l", before=8)
    form.signatures(("申请人签字：" + SIGN, "收件日期：{{ today }}"), before=14)
    return form


def correction_notice() -> Form:
    form = Form(body_size=12)
    form.title("补正材料通知书", size=20)
    form.para("编号：{{ case_no }}", align="r", size=10.5, after=6)
    form.para("{{ client_name }}：", align="l")
    form.para("您于{{ accepted_on }}申请办理的“{{ item_name }}”事项，经审查，申请材料不齐全或者"
              "不符合法定形式，请按以下要求补正：", indent=True, line=1.6)
    form.loop("for r in reasons", "{{ loop.index }}. {{ r }}", indent=True, line=1.6)
    form.para("请于{{ correct_by }}前将补正材料交给代办员或直接送至{{ department }}。"
              "补正材料齐全后，办理时限自收到补正材料之日起重新计算；逾期未补正的，视为撤回申请。",
              indent=True, line=1.6, before=4)
    form.para("代办员：{{ agent_name }}　　联系电话：{{ agent_phone }}", align="l", before=12)
    form.para("{{ department }}", align="r", before=18)
    form.para("{{ today }}", align="r", before=4)
    form.signatures(("申请人签收：" + SIGN, "签收日期：" + DATE_BLANK), before=24)
    return form


def refusal_notice() -> Form:
    form = Form(body_size=12)
    form.title("不予受理告知书", size=20)
    form.para("编号：{{ case_no }}", align="r", size=10.5, after=6)
    form.para("{{ client_name }}：", align="l")
    form.para("您于{{ entrusted_on }}申请办理的“{{ item_name }}”事项，经审查，不符合受理条件，决定不予受理。"
              "理由如下：", indent=True, line=1.6)
    form.para("{{ refusal_reason }}", indent=True, line=1.6)
    form.para("如对本决定有异议，可向{{ department }}咨询；情况变化后可重新申请。", indent=True, line=1.6, before=4)
    form.para("代办员：{{ agent_name }}　　联系电话：{{ agent_phone }}　　{{ service_room }}", align="l", before=12)
    form.para("{{ today }}", align="r", before=18)
    form.signatures(("申请人签收：" + SIGN, "签收日期：" + DATE_BLANK), before=24)
    return form


def delivery_receipt() -> Form:
    form = Form(body_size=11)
    form.title("办结送达回执", size=20)
    form.para("办件编号：{{ case_no }}", align="r", after=6)
    table = form.table([2.6, 4.4, 2.4, 4.4])
    table.row(label("申请人"), "{{ client_name }}", label("身份证号码"), "{{ masked_id }}")
    table.row(label("办理事项"), left("{{ item_name }}", 3))
    table.row(label("受理日期"), "{{ accepted_on }}", label("办结日期"), "{{ concluded_on }}")
    table.row(label("办理结果"), left("{{ outcome }}", 3))
    table.row(label("结果说明\n（证照编号）"), left("{{ result|blank(12) }}", 3), height=1.2)
    table.row(label("送达方式"), left("{{ delivery_mode|box('自取') }} 自取　"
                                     "{{ delivery_mode|box('代送上门') }} 代送上门　"
                                     "{{ delivery_mode|box('邮政寄递') }} 邮政寄递　邮件号：{{ tracking_no|blank(10) }}", 3))
    table.row(label("送达日期"), "{{ delivered_on|blank(8) }}", label("送达人"), "{{ agent_name }}")
    table.row(label("满意度评价"), left("☐ 非常满意　☐ 满意　☐ 基本满意　☐ 不满意\n意见建议：", 3),
              height=2.0, valign="t")
    form.signatures(("送达人（代办员）签字：" + SIGN, "受送达人签字（按手印）：" + SIGN), before=20)
    form.para("签收日期：" + DATE_BLANK, align="r", before=10)
    return form


def handover_list() -> Form:
    form = Form(landscape=True, body_size=10.5, margins_cm=1.6)
    form.title("代办件交接清单", size=18)
    form.para("村（社区）：{{ agent_village }}　　便民服务室：{{ service_room }}　　代办员：{{ agent_name }}"
              "　　电话：{{ agent_phone }}　　批次：{{ batch_no|blank(8) }}", align="l", after=6)
    table = form.table([1.1, 4.3, 2.0, 4.0, 4.8, 3.5, 3.5, 1.1, 1.1, 1.8], size=9.5)
    table.row(label("序号"), label("办件编号"), label("申请人"), label("身份证号码"), label("申请事项"),
              label("受理日期"), label("承诺办结"), label("材料"), label("缺件"), label("备注"))
    table.loop("for c in cases", "{{ c.no }}", "{{ c.case_no }}", "{{ c.client_name }}", "{{ c.masked_id }}",
               left("{{ c.item_name }}"), "{{ c.accepted_on }}", "{{ c.due_on }}", "{{ c.doc_count }}",
               "{{ c.missing_count }}", left("{{ c.note }}"))
    form.para("本批共 {{ case_count }} 件，材料随件移交。", align="l", before=6)
    form.para("移交人（代办员）签字：" + SIGN + "　　日期：{{ today }}", align="l", before=16)
    form.para("接收人（乡镇便民服务中心）签字：" + SIGN + "　　日期：" + DATE_BLANK, align="l", before=10)
    return form


COMMON_TEMPLATES = {
    "common/notice.docx": notice,
    "common/proxy_authorisation.docx": proxy_authorisation,
    "common/receipt.docx": receipt,
    "common/correction_notice.docx": correction_notice,
    "common/delivery_receipt.docx": delivery_receipt,
    "common/refusal_notice.docx": refusal_notice,
    "common/handover_list.docx": handover_list,
    "common/org_proxy_authorisation.docx": org_proxy_authorisation,
    "common/org_receipt.docx": org_receipt,
    "common/bundle_notice.docx": bundle_notice,
}


def main(argv: list[str] | None = None, root: Path = TEMPLATES) -> int:
    """Create the named (or all) templates that do not exist; never overwrite. Exit 1 when a named
    template already exists or is unknown."""
    builders = {**COMMON_TEMPLATES, **ITEM_TEMPLATES, **BUNDLE_TEMPLATES}
    names = sys.argv[1:] if argv is None else argv
    unknown = [name for name in names if name not in builders]
    if unknown:
        print(f"没有这个模板的草稿 (no scaffold for): {', '.join(unknown)}", file=sys.stderr)
        return 1
    refused = 0
    for relative in names or builders:
        target = root / relative
        if target.exists():
            refused += bool(names)
            print(f"已存在，未覆盖 (exists, left as edited): templates/{relative}", file=sys.stderr if names else sys.stdout)
            continue
        builders[relative]().save(target)
        print(f"已新建 (created) templates/{relative}")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
