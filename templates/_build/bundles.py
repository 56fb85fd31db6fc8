"""First drafts of the bundles' combined application forms (一表申请), under templates/bundles/."""

from __future__ import annotations

from formkit import SIGN, Form, label, left


def newborn_application() -> Form:
    form = Form(body_size=11)
    form.title("新生儿出生“一件事”联办申请表", size=18)
    form.para("申请事项：☑ 出生医学证明　☑ 预防接种证　☑ 出生登记（落户）　☑ 城乡居民医保参保　☑ 社会保障卡申领",
              align="l", size=10, after=6)
    t = form.table([2.8, 4.2, 2.8, 4.2])
    t.row(label("新生儿情况", 4), height=0.7)
    t.row(label("姓名"), "{{ child_name }}", label("性别"), "{{ child_sex }}")
    t.row(label("出生日期"), "{{ child_birth_date }}", label("出生地点"), "{{ birth_place }}")
    t.row(label("监护人（申请人）情况", 4), height=0.7)
    t.row(label("申请人"), "{{ applicant_name }}", label("身份证号码"), "{{ applicant_id }}")
    t.row(label("配偶"), "{{ spouse.name }}", label("配偶身份证号码"), "{{ spouse.id_number }}")
    t.row(label("联系电话"), "{{ phone }}", label("现住址"), left("{{ address }}"))
    t.row(label("户籍地址"), left("{{ household_address }}", 3))
    form.para("本人承诺以上信息真实有效，同意各部门共享本表及所附材料，用于办理上述全部事项。",
              indent=True, before=10, line=1.6)
    form.para("代办员：{{ agent_name }}　　联系电话：{{ agent_phone }}", align="l", before=8)
    form.signatures(("申请人（签字并按手印）：" + SIGN, "{{ today }}"), before=20)
    return form


def retirement_application() -> Form:
    form = Form(body_size=11)
    form.title("企业职工退休“一件事”联办申请表", size=18)
    form.para("申请事项：☑ 退休申请　☑ 基本养老保险待遇申领　☑ 职工医保退休人员待遇核定", align="l", size=10, after=6)
    t = form.table([2.8, 4.2, 2.8, 4.2])
    t.row(label("姓名"), "{{ applicant_name }}", label("身份证号码"), "{{ applicant_id }}")
    t.row(label("性别"), "{{ sex }}", label("出生日期"), "{{ birth_date }}")
    t.row(label("原工作单位"), left("{{ employer }}", 3))
    t.row(label("累计缴费年限"), "{{ years_paid }} 年", label("联系电话"), "{{ phone }}")
    t.row(label("现住址"), left("{{ address }}", 3))
    t.row(label("待遇发放银行"), "{{ bank_name }}", label("银行账号"), "{{ bank_account }}")
    form.para("本人承诺以上信息和所附材料真实有效，同意人社、医保部门共享本表及材料，一次办理上述事项。",
              indent=True, before=10, line=1.6)
    form.para("代办员：{{ agent_name }}　　联系电话：{{ agent_phone }}", align="l", before=8)
    form.signatures(("申请人（签字并按手印）：" + SIGN, "{{ today }}"), before=20)
    return form


BUNDLE_TEMPLATES = {
    "bundles/620524-YJS-0001/application.docx": newborn_application,
    "bundles/620524-YJS-0002/application.docx": retirement_application,
}
