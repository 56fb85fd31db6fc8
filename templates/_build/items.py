"""Application forms of the shipped service items, laid out as the county's paper forms are."""

from __future__ import annotations

from formkit import DATE_BLANK, OPINION, SIGN, Form, label, left

REG = "{{ reg_type|box('农业') }} 农业　{{ reg_type|box('非农业') }} 非农业　{{ reg_type|box('居民') }} 居民"
PHOTO = [2.6, 3.3, 1.6, 2.0, 1.9, 2.8, 2.8]  # label, value… and a photo column on the right
EIGHT = [2.3, 2.0, 1.3, 1.1, 1.3, 2.1, 2.5, 3.4]  # label, value… with room for an 18-digit ID in 5–6
AGENT_LINE = "代办员：{{ agent_name }}　　联系电话：{{ agent_phone }}"


def boxes(field: str, options: list[str], sep: str = "　") -> str:
    """``{{ field|box('A') }} A　{{ field|box('B') }} B`` — one check box per option."""
    return sep.join(f"{{{{ {field}|box('{option}') }}}} {option}" for option in options)


def opinion_rows(table, *titles: str, span: int) -> None:
    for title in titles:
        table.row(label(title), left(OPINION, span, valign="t"), height=2.6)


def pension_registration() -> Form:
    """城乡居民基本养老保险参保登记表 (人社)."""
    form = Form(body_size=10.5)
    form.title("城乡居民基本养老保险参保登记表")
    form.para("乡镇（街道）：{{ township }}　　村（居）：{{ village }}　　　　　　编号：＿＿＿＿＿＿",
              align="l", after=4)
    t = form.table([2.8, 2.6, 1.6, 2.0, 2.0, 3.0, 2.8])
    t.row(label("姓名"), "{{ name }}", label("性别"), "{{ sex }}", label("出生日期"), "{{ birth_date }}",
          "照片\n（一寸免冠）")
    t.row(label("民族"), "{{ ethnicity }}", label("文化程度"), "{{ education|blank(4) }}", label("婚姻状况"),
          "{{ marital_status|blank(4) }}", "")
    t.row(label("公民身份号码"), left("{{ id_number }}", 3), label("联系电话"), "{{ phone }}", "")
    t.row(label("户口性质"), left(REG, 5), "")
    t.vmerge(0, 3, 6)
    t.row(label("户籍地址"), left("{{ household_address }}", 6))
    t.row(label("现居住地址"), left("{{ address }}", 6))
    t.row(label("参保人员类别"), left(boxes("insured_category", ["普通参保人员", "特困人员", "低保对象",
                                                            "返贫致贫人口", "重度残疾人"]), 6))
    t.row(label("选择缴费档次"), left(boxes("contribution_level", ["200元", "300元", "500元", "700元",
                                                              "1000元", "1500元", "2000元"]) + "\n"
                                       + boxes("contribution_level", ["3000元", "4000元", "5000元",
                                                                      "6000元"]), 6), height=1.2)
    t.row(label("开户银行"), left("{{ bank_name|blank(8) }}", 2), label("银行账号"),
          left("{{ bank_account|blank(12) }}", 3))
    t.row(label("本人承诺"), left("本人未参加职工基本养老保险，以上信息真实、准确。本人自愿参加城乡居民"
                                  "基本养老保险，按时缴费，并授权经办机构从上述账户代扣代缴。\n"
                                  "参保人（签字并按手印）：" + SIGN + "　　{{ today }}", 6), height=2.2)
    opinion_rows(t, "村（居）委会\n意见", "乡镇（街道）\n经办意见", "县社保经办\n机构意见", span=6)
    form.para(AGENT_LINE, align="l", before=6, size=9)
    return form


def _applicant_rows(t, span_tail: int) -> None:
    t.row(label("申请人姓名"), "{{ name }}", label("性别"), "{{ sex }}", label("年龄"), "{{ age }}",
          label("民族"), "{{ ethnicity }}")
    t.row(label("身份证号码"), left("{{ id_number }}", 4), label("联系电话"), left("{{ phone }}", span_tail))


def dibao_application() -> Form:
    """最低生活保障申请书 (民政)."""
    form = Form(body_size=10.5)
    form.title("最低生活保障申请书")
    form.para("申请日期：{{ today }}　　　　　　　　　　　　　　　　编号：＿＿＿＿＿＿", align="l", after=4)
    t = form.table(EIGHT)
    _applicant_rows(t, 2)
    t.row(label("户籍地址"), left("{{ household_address }}", 7))
    t.row(label("现居住地址"), left("{{ address }}", 7))
    t.row(label("户口性质"), left(REG, 4), label("申请类别"),
          left(boxes("apply_type", ["农村低保", "城市低保"]), 2))
    t.row(label("申请方式"), left(boxes("apply_mode", ["整户申请", "单人户申请（重病重残）"]), 7))
    t.row(label("共同生活的家庭成员情况（含申请人，共 {{ household_size }} 人）", 8))
    t.row(label("序号"), label("姓名"), label("关系"), label("性别"), label("年龄"),
          label("身份证号码", 2), label("职业或健康状况"))
    t.loop("for m in members", "{{ m.no }}", "{{ m.name }}", "{{ m.relation }}", "{{ m.sex }}",
           "{{ m.age }}", ("{{ m.id_number }}", 2), left("{{ m.occupation }}{% if m.disability %}，{{ m.disability }}{% endif %}"))
    t.row(label("家庭经济状况", 8))
    t.row(label("家庭年总收入"), left("{{ annual_income }} 元", 3), label("健康状况", 2),
          left(boxes("health", ["健康", "慢性病", "重病", "残疾"], " "), 2))
    t.row(label("家庭财产\n状况"), left("{{ assets }}", 7), height=1.4)
    t.row(label("申请理由"), left("{{ reason }}", 7, valign="t"), height=3.0)
    t.row(label("收款账户"), left("开户银行：{{ bank_name }}　　账号：{{ bank_account }}　　户名：{{ account_holder }}", 7))
    t.row(label("申请人承诺"), left("本人承诺以上所填内容及提供的材料真实、完整，同意民政部门依法核对本人及"
                                    "家庭成员的经济状况，并接受公示。如有虚报、隐瞒、伪造，愿承担法律责任，"
                                    "退还已领取的救助资金。\n申请人（签字并按手印）：" + SIGN + "　　{{ today }}", 7),
          height=2.2)
    opinion_rows(t, "入户调查\n情况", "村（居）民\n委员会意见", "乡镇人民政府\n审核确认意见", span=7)
    form.para(AGENT_LINE, align="l", before=6, size=9)
    return form


def economic_check_authorisation() -> Form:
    """家庭经济状况核对授权书 (民政)."""
    form = Form(body_size=12)
    form.title("家庭经济状况核对授权书", after=10)
    form.para("{{ county }}民政局：", align="l")
    form.para("本人及共同生活的家庭成员因申请“{{ item_name }}”，自愿授权{{ county }}民政部门及其委托的"
              "乡镇人民政府（街道办事处）、居民家庭经济状况核对机构，通过公安、人力资源社会保障、"
              "自然资源、住房城乡建设、市场监管、税务、医疗保障、银行等部门和机构，查询、核对本人及"
              "家庭成员的户籍、收入、财产等信息。核对结果仅用于社会救助审核确认，授权有效期自签字之日"
              "起至救助终止之日止。", indent=True, line=1.6)
    t = form.table([1.2, 2.6, 2.2, 5.2, 4.2], size=11)
    t.row(label("序号"), label("姓名"), label("与申请人关系"), label("公民身份号码"), label("本人签字（按手印）"))
    t.loop("for m in members", "{{ m.no }}", "{{ m.name }}", "{{ m.relation }}", "{{ m.id_number }}", "",
           height=1.1)
    form.para("注：未成年或无民事行为能力的家庭成员由其监护人代为签字。", size=10, before=4)
    form.signatures(("申请人：{{ name }}（签字并按手印）" + SIGN, "联系电话：{{ phone }}"), before=18)
    form.para("{{ today }}", align="r", before=12)
    return form


def temporary_aid() -> Form:
    """临时救助申请审批表 (民政)."""
    form = Form(body_size=10.5)
    form.title("临时救助申请审批表")
    form.para("申请日期：{{ today }}", align="r", after=4)
    t = form.table(EIGHT)
    _applicant_rows(t, 2)
    t.row(label("家庭住址"), left("{{ address }}", 4), label("家庭人口", 2), "{{ household_size }} 人")
    t.row(label("困难类别"), left("{{ poverty_status|blank(6) }}", 3), label("救助类型", 2),
          left(boxes("aid_type", ["急难型", "支出型"], " "), 2))
    t.row(label("困难原因"), left(boxes("causes", ["火灾", "交通事故", "突发重大疾病", "意外伤害",
                                                  "自然灾害", "医疗支出", "教育支出", "其他"]), 7), height=1.2)
    t.row(label("申请事由"), left("{{ reason }}", 7, valign="t"), height=3.2)
    t.row(label("申请金额"), left("小写：{{ amount }} 元　　大写：{{ amount_cn }}", 7))
    t.row(label("家庭成员情况", 8))
    t.row(label("序号"), label("姓名"), label("关系"), label("性别"), label("年龄"), label("身份证号码", 2),
          label("健康状况"))
    t.loop("for m in members", "{{ m.no }}", "{{ m.name }}", "{{ m.relation }}", "{{ m.sex }}", "{{ m.age }}",
           ("{{ m.id_number }}", 2), left("{{ m.disability }}"))
    t.row(label("收款账户"), left("开户银行：{{ bank_name }}　　账号：{{ bank_account }}", 7))
    t.row(label("申请人承诺"), left("以上情况属实，如有虚假，愿退还救助金并承担法律责任。\n"
                                    "申请人（签字并按手印）：" + SIGN + "　　{{ today }}", 7), height=1.6)
    opinion_rows(t, "村（居）委会\n意见", "乡镇人民政府\n审核意见", "县民政局\n审批意见", span=7)
    form.para(AGENT_LINE, align="l", before=6, size=9)
    return form


def old_age_allowance() -> Form:
    """高龄老人津贴申请表 (民政)."""
    form = Form(body_size=10.5)
    form.title("高龄老人津贴申请表")
    form.para("乡镇：{{ township }}　　村：{{ village }}　　申请日期：{{ today }}", align="l", after=4)
    t = form.table(PHOTO)
    t.row(label("姓名"), "{{ name }}", label("性别"), "{{ sex }}", label("民族"), "{{ ethnicity }}", "照片")
    t.row(label("出生日期"), "{{ birth_date }}", label("年龄"), "{{ age }} 周岁", label("联系电话"), "{{ phone }}", "")
    t.row(label("身份证号码"), left("{{ id_number }}", 5), "")
    t.row(label("户籍地址"), left("{{ household_address }}", 5), "")
    t.vmerge(0, 3, 6)
    t.row(label("现居住地址"), left("{{ address }}", 6))
    t.row(label("津贴档次"), left("{{ (80 <= age <= 89)|box }} 80—89周岁　{{ (90 <= age <= 99)|box }} 90—99周岁"
                                  "　{{ (age >= 100)|box }} 100周岁及以上", 6))
    t.row(label("开户银行"), left("{{ bank_name }}", 2), label("银行账号"), left("{{ bank_account }}", 3))
    t.row(label("代理人（赡养人）"), "{{ guardian_name|blank(5) }}", label("与本人关系"),
          "{{ guardian_relation|blank(3) }}", label("代理人电话"), left("{{ guardian_phone|blank(8) }}", 2))
    t.row(label("申请人声明"), left("以上信息真实。享受津贴期间如老人去世、户籍迁出或长期出境，由家属或代理人在"
                                    "30日内告知村（居）委会，多领的津贴予以退还。\n"
                                    "申请人（代理人）签字并按手印：" + SIGN + "　　{{ today }}", 6), height=2.0)
    opinion_rows(t, "村（居）委会\n意见", "乡镇人民政府\n审核意见", "县民政局\n审批意见", span=6)
    form.para(AGENT_LINE, align="l", before=6, size=9)
    return form


def disability_card() -> Form:
    """中华人民共和国残疾人证申请表 (残联)."""
    form = Form(body_size=10.5)
    form.title("中华人民共和国残疾人证申请表")
    form.para("申请日期：{{ today }}", align="r", after=4)
    t = form.table(PHOTO)
    t.row(label("姓名"), "{{ name }}", label("性别"), "{{ sex }}", label("民族"), "{{ ethnicity }}",
          "近期免冠\n二寸彩照")
    t.row(label("出生日期"), "{{ birth_date }}", label("婚姻"), "{{ marital_status|blank(3) }}",
          label("文化程度"), "{{ education|blank(3) }}", "")
    t.row(label("身份证号码"), left("{{ id_number }}", 5), "")
    t.row(label("户口性质"), left(REG, 2), label("联系电话"), ("{{ phone }}", 2), "")
    t.row(label("户籍地址"), left("{{ household_address }}", 5), "")
    t.vmerge(0, 4, 6)
    t.row(label("现住址"), left("{{ address }}", 6))
    t.row(label("残疾类别"), left(boxes("disability_type", ["视力", "听力", "言语", "肢体", "智力",
                                                              "精神", "多重"]), 6))
    t.row(label("致残原因"), left(boxes("cause", ["先天", "疾病", "意外伤害", "其他"]), 6))
    t.row(label("监护人\n（代理人）"), "{{ guardian_name|blank(5) }}", label("与本人关系"),
          "{{ guardian_relation|blank(3) }}", label("联系电话"), left("{{ guardian_phone|blank(8) }}", 2))
    t.row(label("申请人声明"), left("本人自愿申请办理残疾人证，所提供的信息真实，同意接受残疾评定。\n"
                                    "申请人（监护人）签字并按手印：" + SIGN + "　　{{ today }}", 6), height=1.8)
    t.row(label("评定意见"), left("残疾类别：＿＿＿＿　　残疾等级：＿＿＿＿\n评定机构（盖章）：　　　　　"
                                  "评定医生签字：" + SIGN + "\n" + DATE_BLANK, 6), height=2.4)
    opinion_rows(t, "县残联\n审核意见", span=6)
    form.para(AGENT_LINE, align="l", before=6, size=9)
    return form


def birth_registration() -> Form:
    """生育登记表 (卫健)."""
    form = Form(body_size=11)
    form.title("生育登记表")
    form.para("登记日期：{{ today }}　　　　　　　　　　　　　　登记编号：＿＿＿＿＿＿", align="l", after=4)
    t = form.table([3.2, 6.4, 6.4])
    t.row(label("项目"), label("登记人"), label("配偶"))
    t.row(label("姓名"), "{{ name }}", "{{ spouse.name }}")
    t.row(label("性别"), "{{ sex }}", "{{ spouse.sex }}")
    t.row(label("出生日期"), "{{ birth_date }}", "{{ spouse.birth_date }}")
    t.row(label("公民身份号码"), "{{ id_number }}", "{{ spouse.id_number }}")
    t.row(label("联系电话"), "{{ phone }}", "{{ spouse.phone }}")
    t.row(label("户籍地址"), left("{{ household_address }}", 2))
    t.row(label("现居住地址"), left("{{ address }}", 2))
    t.row(label("结婚登记日期"), left("{{ marriage_date }}", 2))
    form.para(("现有子女情况", {"bold": True}), align="c", before=8, after=4)
    c = form.table([1.2, 3.4, 1.6, 3.8, 6.0])
    c.row(label("序号"), label("姓名"), label("性别"), label("出生日期"), label("公民身份号码"))
    c.loop("for k in children", "{{ k.no }}", "{{ k.name }}", "{{ k.sex }}", "{{ k.birth_date }}",
           "{{ k.id_number }}")
    form.para("{% if not children %}（目前无子女）{% endif %}", align="c", size=10)
    b = form.table([3.2, 12.8])
    b.row(label("本次登记"), left("孩次：" + boxes("child_order", ["一孩", "二孩", "三孩"]) +
                                  "\n预产期：{{ due_date|blank(10) }}", 1), height=1.4)
    b.row(label("登记人承诺"), left("夫妻双方承诺以上信息真实，如有虚假愿承担相应责任。\n"
                                    "登记人签字：" + SIGN + "　　配偶签字：" + SIGN, 1), height=1.8)
    b.row(label("乡镇卫生健康\n办公室意见"), left(OPINION, 1), height=2.4)
    form.para(AGENT_LINE, align="l", before=6, size=9)
    return form


def medical_insurance() -> Form:
    """城乡居民基本医疗保险参保登记表 (医保)."""
    form = Form(body_size=10.5)
    form.title("城乡居民基本医疗保险参保登记表")
    form.para("乡镇：{{ township }}　　村：{{ village }}　　缴费年度：{{ year }} 年　　登记日期：{{ today }}",
              align="l", after=4)
    t = form.table([1.2, 1.9, 2.0, 1.1, 3.2, 4.6, 3.0])
    t.row(label("申报人", 2), "{{ name }}", label("联系电话", 2), "{{ phone }}", left("户主：{{ head_name }}"))
    t.row(label("公民身份号码", 2), left("{{ id_number }}", 5))
    t.row(label("户口性质", 2), left(REG, 5))
    t.row(label("户籍地址", 2), left("{{ household_address }}", 5))
    t.row(label("现居住地址", 2), left("{{ address }}", 5))
    t.row(label("参保人员信息（本户共 {{ household_size }} 人）", 7))
    t.row(label("序号"), label("姓名"), label("与户主关系"), label("性别"), label("出生日期"),
          label("公民身份号码"), label("参保类别"))
    t.loop("for m in members", "{{ m.no }}", "{{ m.name }}", "{{ m.relation }}", "{{ m.sex }}",
           "{{ m.birth_date }}", "{{ m.id_number }}", "☐普通 ☐资助")
    t.row(label("资助参保\n人群", 2), left(boxes("subsidy_groups", ["特困人员", "低保对象", "返贫致贫人口",
                                                                 "防止返贫监测对象", "重度残疾人"]), 5), height=1.2)
    t.row(label("申报人声明", 2), left("本户参保人员信息真实，同意按规定缴纳城乡居民基本医疗保险费。\n"
                                       "申报人（签字并按手印）：" + SIGN + "　　{{ today }}", 5), height=1.8)
    t.row(label("医保经办\n机构意见", 2), left(OPINION, 5), height=2.4)
    form.para(AGENT_LINE, align="l", before=6, size=9)
    return form


def homestead_application() -> Form:
    """农村宅基地和建房（规划许可）申请表 (农业农村, per 农经发〔2019〕6号 附件)."""
    form = Form(body_size=10)
    form.title("农村宅基地和建房（规划许可）申请表", size=16)
    t = form.table([2.6, 2.0, 1.6, 1.4, 2.4, 2.6, 2.0, 2.4])
    t.row(label("申请户主信息", 8))
    t.row(label("姓名"), "{{ name }}", label("性别"), "{{ sex }}", label("年龄"), "{{ age }}", label("联系电话"),
          "{{ phone }}")
    t.row(label("身份证号"), left("{{ id_number }}", 3), label("户口所在地"), left("{{ household_address }}", 3))
    t.row(label("家庭成员信息", 8))
    t.row(label("姓名"), label("年龄"), label("与户主关系", 2), label("身份证号", 2), label("户口所在地", 2))
    t.loop("for m in members", "{{ m.name }}", "{{ m.age }}", ("{{ m.relation }}", 2), ("{{ m.id_number }}", 2),
           ("{{ village }}", 2))
    t.row(label("现宅基地及农房情况", 8))
    t.row(label("宅基地面积"), "{{ current_site_area }} ㎡", label("建筑面积", 2), "{{ current_floor_area }} ㎡",
          label("权属证书号"), left("{{ current_cert_no|blank(10) }}", 2))
    t.row(label("现宅基地处置情况"), left(boxes("current_disposal", ["保留", "退还", "其他"]), 7))
    t.row(label("拟申请宅基地及建房（规划许可）情况", 8))
    t.row(label("宅基地面积"), "{{ site_area }} ㎡", label("房基占地面积", 2), "{{ footprint_area }} ㎡",
          label("地址"), left("{{ site_location }}", 2))
    t.row(label("四至"), left("东至：{{ east }}　南至：{{ south }}\n西至：{{ west }}　北至：{{ north }}", 7), height=1.2)
    t.row(label("地类"), left(boxes("land_type", ["建设用地", "未利用地", "农用地"]), 7))
    t.row(label("建房类型"), left(boxes("build_type", ["原址翻建", "改扩建", "异址新建"]), 7))
    t.row(label("住房建筑面积"), "{{ floor_area }} ㎡", label("建筑层数", 2), "{{ floors }} 层",
          label("建筑高度"), left("{{ height }} 米", 2))
    t.row(label("是否征求相邻\n权利人意见"), left("{{ neighbours_consulted|box }} 是　"
                                               "{{ (not neighbours_consulted)|box }} 否", 7))
    t.row(label("申请理由"), left("{{ reason }}", 7, valign="t"), height=2.4)
    t.row(label("申请人签字"), left("本人承诺以上信息真实，建房时严格按照批准的面积和要求施工。\n"
                                    "申请人（签字并按手印）：" + SIGN + "　　{{ today }}", 7), height=1.6)
    opinion_rows(t, "村民小组意见", "村集体经济组织\n或村民委员会\n意见", span=7)
    form.para(AGENT_LINE, align="l", before=4, size=9)
    return form


def homestead_pledge() -> Form:
    """农村宅基地使用承诺书 (农业农村)."""
    form = Form(body_size=12)
    form.title("农村宅基地使用承诺书", after=12)
    form.para("因{{ build_type }}需要，本人申请在{{ township }}{{ village }}{{ site_location }}使用宅基地建房，"
              "现郑重承诺：", indent=True, line=1.8)
    for number, text in enumerate((
        "本人及家庭成员符合“一户一宅”申请条件，申请材料真实有效；",
        "宅基地申请经批准后，按规定及时拆除旧房，原宅基地交还村集体（原址翻建的除外）；",
        "严格按照批准的面积、位置和建房标准建设，不超占、不乱建；",
        "新建住房不用于出租、出售或从事其他经营活动，不在耕地上建房。",
    ), start=1):
        form.para(f"{number}. {text}", indent=True, line=1.8)
    form.para("如违反上述承诺，本人愿意承担相应的法律责任，并接受依法处理。", indent=True, line=1.8)
    t = form.table([3.0, 5.0, 3.0, 5.0], size=11)
    t.row(label("承诺人"), "{{ name }}", label("身份证号码"), "{{ id_number }}")
    t.row(label("联系电话"), "{{ phone }}", label("家庭人口"), "{{ household_size }} 人")
    form.signatures(("承诺人（签字并按手印）：" + SIGN, "{{ today }}"), before=28)
    return form


ITEM_TEMPLATES = {
    "items/62052400RS-GG-0001/registration.docx": pension_registration,
    "items/62052400MZ-JF-0001/application.docx": dibao_application,
    "items/62052400MZ-JF-0001/check_authorisation.docx": economic_check_authorisation,
    "items/62052400MZ-JF-0002/application.docx": temporary_aid,
    "items/62052400MZ-JF-0003/application.docx": old_age_allowance,
    "items/62052400CL-GG-0001/application.docx": disability_card,
    "items/62052400WJ-GG-0001/registration.docx": birth_registration,
    "items/62052400YB-GG-0001/registration.docx": medical_insurance,
    "items/62052400NY-XK-0001/application.docx": homestead_application,
    "items/62052400NY-XK-0001/pledge.docx": homestead_pledge,
}
