"""The shapes in which bureaus really publish plans (issue 10), each with a text of our own.

Flattened decomposition tables, labelled responsibility, paragraph tasks, task parts with
any title, enumerations that look like headings, goal bullets, things that are not
targets, wording and Chinese numerals. Pure Python: ``parse_plan`` as the import runs it.
"""

from __future__ import annotations

from plans.importers.text import parse_plan


def tasks_of(plan: dict) -> list[dict]:
    return [t for s in plan["sections"] for t in s["tasks"]]


def targets_of(plan: dict) -> list[dict]:
    return list(plan["goals"]) + [i for t in tasks_of(plan) for i in t["indicators"]]


def responsibility(plan: dict) -> list[tuple[str, list[str], list[str]]]:
    return [(t["number"], t["lead"], t["co"]) for t in tasks_of(plan)]


# 1. A decomposition table flattened into text ------------------------------------------------


def test_a_flattened_decomposition_table_gives_one_task_per_row_with_its_columns():
    plan = parse_plan(
        "某区2026年科技工作任务分解表\n"
        "序号 工作任务 牵头单位 配合单位 完成时限\n"
        "5 认定科技型中小企业40家以上。 区科技局 区财政局、区税务局等区直有关部门。 2026年11月底\n"
        "6 建成区级众创空间2家。 区科技局\n"
        "区人社局\n"
        "区团委\n"
        "区妇联、各街道办事处。 2026年12月底\n"
        "7 组织技术对接活动不少于5场次。 区科协 2026年10月\n"
    )
    assert [s["label"] for s in plan["sections"]] == [""]
    assert responsibility(plan) == [
        ("5", ["区科技局"], ["区财政局", "区税务局", "区直有关部门"]),
        ("6", ["区科技局", "区人社局", "区团委"], ["区妇联", "各街道办事处"]),
        ("7", ["区科协"], []),
    ]
    tasks = tasks_of(plan)
    assert tasks[0]["text"] == "认定科技型中小企业40家以上。"
    assert tasks[1]["deadline"] == "2026年12月底"
    assert [(i["value"], i["unit"]) for i in targets_of(plan)] == [(40, "家"), (2, "家"), (5, "场次")]


def test_a_heading_between_table_rows_is_the_section_of_the_rows_below_it():
    plan = parse_plan(
        "序号 重点任务 主要责任单位 协同配合单位\n"
        "一、年度主要指标\n"
        "1 高新技术产业增加值增长12%左右。 市科技局 市统计局。\n"
        "2 技术合同成交额达到8亿元。 市科技局 市市场监管局、各县区人民政府。\n"
    )
    assert [(s["label"], s["title"]) for s in plan["sections"]] == [("一、", "年度主要指标")]
    assert responsibility(plan) == [
        ("1", ["市科技局"], ["市统计局"]),
        ("2", ["市科技局"], ["市市场监管局", "各县区人民政府"]),
    ]


def test_a_progress_column_of_a_flattened_table_is_not_read_for_targets():
    plan = parse_plan(
        "序号 工作任务 责任单位 完成情况\n1 新增省级研发平台3个。 县科技局 已完成2个，占全年任务的67%\n"
    )
    assert responsibility(plan) == [("1", ["县科技局"], [])]
    assert [(i["value"], i["unit"]) for i in targets_of(plan)] == [(3, "个")]


# 2. Responsibility written as labelled lines or clauses --------------------------------------


def test_labelled_responsibility_lines_under_a_task():
    plan = parse_plan(
        "县科技局2026年工作任务清单\n"
        "一、壮大创新主体\n"
        "1.培育专精特新企业，新增省级专精特新企业6家。\n"
        "牵头单位：县工信局；配合单位：县科技局、县市场监管局\n"
        "2.建设企业研发机构，新建企业技术中心4家。\n"
        "牵头科室(单位)：高新科、县生产力促进中心\n"
        "责任领导：张某某\n"
        "完成时限：2026年12月\n"
        "3.推进知识产权质押融资。\n"
        "责任单位：县市场监管局\n"
        "4.开展科技下乡活动。（责任科室：农村科技股）\n"
        "5.建设技术转移机构。（牵头单位：县科技局；责任单位：县教育局、各乡镇）\n"
        "6.设立科技成果转化基金。由县财政局牵头，县科技局、县金融办配合。\n"
    )
    assert responsibility(plan) == [
        ("1", ["县工信局"], ["县科技局", "县市场监管局"]),
        ("2", ["高新科", "县生产力促进中心"], []),
        ("3", ["县市场监管局"], []),
        ("4", ["农村科技股"], []),
        ("5", ["县科技局"], ["县教育局", "各乡镇"]),
        ("6", ["县财政局"], ["县科技局", "县金融办"]),
    ]


# 3. Paragraph tasks ----------------------------------------------------------------------------


def test_each_paragraph_closed_by_its_own_parenthesis_is_a_task():
    plan = parse_plan(
        "（三）提升成果转化效能\n"
        "健全技术转移体系，培育技术经纪人20名。（市科技局牵头，市人社局、市教育局按职责分工负责）\n"
        "推进科技金融结合，新增科技贷款5亿元。（市金融办牵头，市科技局配合）落实首台套政策。"
        "（市工信局牵头，市财政局参与）\n"
        "深化校地合作。\n"
    )
    assert responsibility(plan) == [
        ("", ["市科技局"], ["市人社局", "市教育局"]),
        ("", ["市金融办"], ["市科技局"]),
        ("", ["市工信局"], ["市财政局"]),
        ("", [], []),
    ]
    assert tasks_of(plan)[2]["text"] == "落实首台套政策。（市工信局牵头，市财政局参与）"


# 4. A task part with any title, and nothing dropped silently ------------------------------


def test_a_task_part_with_an_unlisted_title_keeps_its_sections_and_tasks():
    plan = parse_plan(
        "县推进数字经济发展行动方案\n"
        "一、总体目标\n"
        "到2026年，数字经济核心产业增加值达到20亿元。\n"
        "二、行动重点\n"
        "（一）数字产业化\n"
        "1.培育数字企业。新增数字经济企业10家。\n"
        "（二）产业数字化\n"
        "1.推进企业上云。新增上云企业50家。\n"
        "三、保障措施\n"
        "加强组织领导。\n"
    )
    assert [(s["label"], s["title"], len(s["tasks"])) for s in plan["sections"]] == [
        ("(一)", "数字产业化", 1),
        ("(二)", "产业数字化", 1),
    ]
    assert [g["value"] for g in plan["goals"]] == [20]
    assert "unplaced" not in plan


def test_a_part_that_is_neither_tasks_nor_frame_is_reported_as_unplaced():
    plan = parse_plan(
        "县科技局2026年工作计划\n"
        "一、重点任务\n"
        "（一）培育创新主体\n"
        "1.新增高新技术企业10家。\n"
        "二、工作举措\n"
        "（一）强化政策兑现\n"
        "1.兑现研发奖补资金500万元。\n"
    )
    assert [s["title"] for s in plan["sections"]] == ["培育创新主体"]
    assert plan["unplaced"] == [
        {
            "text": "二、工作举措\n（一）强化政策兑现\n1.兑现研发奖补资金500万元。",
            "reason": "outside_sections",
        }
    ]


# 5. A line that starts with an enumeration is not a heading ------------------------------


def test_lines_starting_with_enumerations_are_not_headings():
    plan = parse_plan(
        "县科技局2026年目标任务\n"
        "一、企业培育\n"
        "全年新增科技型中小企业40家。\n"
        "一、二季度完成企业入库辅导20家；三、四季度完成评价入库。\n"
        "一、二、三、四季度分别完成10%、30%、60%、100%。\n"
        "三、四月份组织政策宣讲。\n"
        "二、平台建设\n"
        "新建研发平台3个。\n"
    )
    assert [(s["label"], s["title"]) for s in plan["sections"]] == [
        ("一、", "企业培育"),
        ("二、", "平台建设"),
    ]
    milestones = [i for i in targets_of(plan) if i["unit"] == "%"]
    assert [i["value"] for i in milestones] == [10, 30, 60, 100]
    assert {i["text"] for i in milestones} == {"一、二、三、四季度分别完成10%、30%、60%、100%"}


# 6. Goal bullets and targets above the first item -------------------------------------------


def test_goal_bullets_after_an_announcing_paragraph_are_goals():
    plan = parse_plan(
        "县创新驱动发展实施方案（2024-2026年）\n"
        "一、总体要求\n"
        "坚持创新驱动发展。到2026年，全县创新能力显著提升。\n"
        "——创新主体更加壮大。新增高新技术企业30家，科技型中小企业达到120家。\n"
        "——创新平台提档升级。新建省级研发平台5个。\n"
        "二、重点任务\n"
        "（一）培育企业\n"
        "1.实施倍增计划。每年新增高新技术企业10家。\n"
        "三、保障措施\n"
        "加强组织领导，每季度调度1次。\n"
    )
    assert [(g["value"], g["unit"]) for g in plan["goals"]] == [(30, "家"), (120, "家"), (5, "个")]


def test_targets_above_the_first_numbered_item_are_goals():
    plan = parse_plan(
        "县科技局2026年重点工作清单\n全年技术合同登记额达到3亿元，新增高新技术企业8家。\n"
        "①组织企业申报高企；②开展政策宣讲。\n"
    )
    assert [(g["value"], g["unit"]) for g in plan["goals"]] == [(3, "亿元"), (8, "家")]


# 7. Things that are not targets -------------------------------------------------------------


def test_scoring_rules_budget_lines_thresholds_and_counts_of_names_are_not_targets():
    plan = parse_plan(
        "县科技局2026年考核任务\n"
        "一、创新投入\n"
        "规上企业研发费用增长15%计10分，每少1个百分点扣1分，加分最多不超过3分。\n"
        "重点支持年研发投入超2000万元的企业，推动甲公司、乙公司、丙公司3家龙头企业建设研究院。\n"
        "二、部门预算\n"
        "1、基本支出：126.5万元\n"
        "2、项目支出：80万元\n"
    )
    assert [(i["value"], i["unit"]) for i in targets_of(plan)] == [(15, "%")]


# 8. Wording -----------------------------------------------------------------------------------


def test_doubling_percentage_points_person_years_ranks_and_respectively():
    plan = parse_plan(
        "县科技创新三年行动方案（2024-2026年）\n"
        "一、主要任务\n"
        "高新技术企业数量翻一番，科技型中小企业数量增加一倍。\n"
        "研发投入强度提高0.4个百分点，每万名就业人员中研发人员达到60人年。\n"
        "综合科技创新水平进入全省前十，专利授权量达到全市前三水平。\n"
        "规上企业研发机构覆盖率、有效发明专利增速分别达到45%、20%以上。\n"
        "建设省级星创天地两家。\n"
    )
    found = [(i["value"], i["unit"], i["comparator"], i["kind"]) for i in targets_of(plan)]
    assert found == [
        (1, "番", "=", "growth_rate"),
        (1, "倍", "=", "growth_rate"),
        (0.4, "个百分点", "=", "ratio"),
        (60, "人年", ">=", "ratio"),
        (10, "位", "<=", "rank"),
        (3, "位", "<=", "rank"),
        (45, "%", ">=", "ratio"),
        (20, "%", ">=", "ratio"),
        (2, "家", "=", "count"),
    ]


def test_chapter_and_part_headings_and_yi_shi_points():
    plan = parse_plan(
        "某县2025年科技工作总结和2026年工作计划\n"
        "第一部分 2025年工作总结\n"
        "一、主要成效\n全年新增高新技术企业12家。\n"
        "第二部分 2026年工作计划\n"
        "第一章 工作目标\n全年新增高新技术企业15家。\n"
        "第二章 重点工作\n"
        "第一节 企业培育\n一是壮大高企群体，新认定高新技术企业15家。二是培育科技型中小企业。\n"
        "第二节 平台建设\n新建县级研发中心4个。\n"
    )
    assert [(s["label"], s["title"]) for s in plan["sections"]] == [
        ("第一节", "企业培育"),
        ("第二节", "平台建设"),
    ]
    assert [g["value"] for g in plan["goals"]] == [15]


# 9. Chinese numerals --------------------------------------------------------------------------


def test_chinese_numerals_and_amounts_are_converted_with_their_place_values():
    plan = parse_plan("一、科技金融\n设立科技创新基金一亿五千万元，引进高层次人才三十名，新建孵化器两个。\n")
    found = [(i["value"], i["unit"]) for i in targets_of(plan)]
    assert found == [(15000, "万元"), (30, "名"), (2, "个")]


def test_a_table_pasted_from_word_with_tabs_a_target_column_and_a_person_column():
    plan = parse_plan(
        "某县2026年科技工作目标任务分解表\n"
        "序号\t目标任务\t牵头领导\t责任单位\t完成时限\n"
        "1\t新增国家高新技术企业8家\t王某\t县科技局\n县工信局\t2026年12月\n"
        "2\t技术合同登记额达到1.2亿元\t李某\t县科技局\t全年\n"
    )
    assert responsibility(plan) == [("1", ["县科技局", "县工信局"], []), ("2", ["县科技局"], [])]
    assert [t["deadline"] for t in tasks_of(plan)] == ["2026年12月", "全年"]


def test_labelled_lines_stay_with_a_task_in_a_plan_of_one_paragraph_tasks():
    plan = parse_plan(
        "某市科技成果转化行动方案\n一、建设转移体系\n"
        "1.培育技术经理人。每年培训技术经理人200人次。（市科技局牵头）\n"
        "2.建设中试平台。新建中试基地5个。（市工信局牵头）\n"
        "二、强化金融支撑\n1.设立成果转化基金。基金规模不低于5亿元。\n"
        "牵头单位：市财政局\n配合单位：市科技局、市金融局\n"
        "各单位要加强协同配合。\n"
    )
    assert responsibility(plan)[-1] == ("1", ["市财政局"], ["市科技局", "市金融局"])
    assert tasks_of(plan)[-1]["text"].endswith("配合单位：市科技局、市金融局")


def test_an_attachment_after_the_plan_is_reported_not_dropped_and_labels_may_follow_spaces():
    plan = parse_plan(
        "县2026年科技工作方案\n一、重点任务\n（一）企业培育\n"
        "1.新增高新技术企业10家。 牵头单位：县科技局 配合单位：县财政局\n"
        "附件：重点任务分解表\n序号 任务 牵头单位\n1 新增高新技术企业10家 县科技局\n"
    )
    assert responsibility(plan) == [("1", ["县科技局"], ["县财政局"])]
    assert plan["unplaced"][0]["reason"] == "annex"
    assert plan["unplaced"][0]["text"].startswith("附件：重点任务分解表")


def test_a_plan_that_says_the_first_unit_leads_has_it_lead():
    plan = parse_plan(
        "某县2026年政府工作报告重点工作责任分工\n（注：责任单位中排在第一位的为牵头单位）\n一、科技创新\n"
        "1.新增高新技术企业15家。（责任单位：县科技局、县工信局、县税务局）\n"
        "2.技术合同成交额达到2亿元。（责任单位：县科技局）\n"
    )
    assert responsibility(plan) == [("1", ["县科技局"], ["县工信局", "县税务局"]), ("2", ["县科技局"], [])]
    without_note = parse_plan("一、科技创新\n1.新增高新技术企业15家。（责任单位：县科技局、县工信局）\n")
    assert responsibility(without_note) == [("1", ["县科技局", "县工信局"], [])]


def test_the_notice_above_a_list_of_tasks_sets_no_goal_and_offices_in_gu_lead():
    plan = parse_plan(
        "县科技局关于分解落实2026年重点工作任务的通知\n各股室：\n"
        "现将2026年重点工作任务共15项分解如下，请认真贯彻落实。\n"
        "1.新增高新技术企业10家。\n责任股室：高新股\n"
        "2.技术合同成交额达到1亿元。\n责任股室：成果股\n"
    )
    assert plan["goals"] == []
    assert responsibility(plan) == [("1", ["高新股"], []), ("2", ["成果股"], [])]


def test_page_clutter_around_a_plan_states_no_goal():
    plan = parse_plan("首页 > 信息公开\n浏览次数：125次 发布时间：2026-01-05\n全年新增高新技术企业10家。\n")
    assert [(g["value"], g["unit"]) for g in plan["goals"]] == [(10, "家")]
