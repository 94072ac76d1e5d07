"""The plan importer's structure: headings, sections, tasks, departments, title and year.

Target wording is covered in test_importer_targets.py. Everything here is pure Python;
the last test runs the shared scorer against the annotated seed plans.
"""

from __future__ import annotations

import json
import random
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from plans.importers.departments import parse_departments
from plans.importers.text import has_structure, main, parse_plan

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"


def outline(plan: dict) -> list[tuple[str, str, list[str]]]:
    """(label, title, [task numbers]) for every section, the shape most tests check."""
    return [(s["label"], s["title"], [t["number"] for t in s["tasks"]]) for s in plan["sections"]]


def all_targets(plan: dict) -> list[dict]:
    return list(plan["goals"]) + [i for s in plan["sections"] for t in s["tasks"] for i in t["indicators"]]


# Headings --------------------------------------------------------------------------------------


def test_paren_sections_hold_numbered_tasks_and_a_section_without_numbers_holds_its_text():
    plan = parse_plan(
        "县科技局2024年工作计划\n"
        "(一)标志性工程提速\n1.打造四大战略平台。构建区域创新格局。\n2.引育研发企业(中心)。引育15家以上企业研发中心。\n"
        "(三)科研攻关提能\n加快核心技术攻关。加快推进在建项目。\n"
    )
    assert outline(plan) == [("(一)", "标志性工程提速", ["1", "2"]), ("(三)", "科研攻关提能", [""])]
    assert [s["theme"] for s in plan["sections"]] == ["提速", "提能"]
    first, second = plan["sections"][0]["tasks"]
    assert (first["title"], first["text"]) == ("打造四大战略平台", "打造四大战略平台。构建区域创新格局。")
    assert second["title"] == "引育研发企业(中心)"
    body = plan["sections"][1]["tasks"][0]
    assert (body["title"], body["text"]) == ("加快核心技术攻关", "加快核心技术攻关。加快推进在建项目。")


def test_chinese_numbered_parts_are_sections_when_there_is_no_task_list_part():
    plan = parse_plan(
        "2024年全市科技创新工作要点\n"
        "一、力争全省考评保位。全面分析考评指标,对标对表制定提升方案,力争14项考核指标逆势而上。\n"
        "二、举办两场创新活动。结合活动周要求,高规格举办两场活动。\n"
        "1.高质量举办全市科技活动周活动,获得省部级以上表彰。\n2.深化产学研对接。\n"
    )
    assert outline(plan) == [("一、", "力争全省考评保位", [""]), ("二、", "举办两场创新活动", ["1", "2"])]
    assert plan["sections"][0]["tasks"][0]["title"] == "全面分析考评指标"
    assert plan["sections"][1]["tasks"][0]["title"] == "高质量举办全市科技活动周活动,获得省部级以上表彰"


def test_the_sub_parts_of_a_task_list_part_are_the_sections_and_the_frame_is_left_out():
    plan = parse_plan(
        "XX县创新提升行动实施方案\n一、指导思想\n坚持创新驱动。\n二、工作任务\n"
        "(一)重点科创专项提速\n1.高质量推进产业发展。强化财政保障。\n"
        "(二)平台能级提档\n1.培育建设创新平台。新建市级以上创新平台1个。\n"
        "三、保障措施\n(一)加强组织领导。成立工作专班。\n"
    )
    assert outline(plan) == [("(一)", "重点科创专项提速", ["1"]), ("(二)", "平台能级提档", ["1"])]


def test_a_task_list_part_with_numbered_items_is_one_section():
    plan = parse_plan(
        "XX区科技工作方案\n一、总体要求\n坚持创新。\n二、重点任务\n1、实施企业培育工程。\n2、实施平台提升工程。\n"
    )
    assert outline(plan) == [("二、", "重点任务", ["1", "2"])]


def test_measures_hold_the_sections_when_no_part_is_named_for_tasks():
    plan = parse_plan(
        "XX县科技创新行动方案\n一、总体要求\n坚持创新。\n二、主要措施\n(一)培育创新主体\n1.实施倍增计划。\n"
        "(二)建设创新平台\n1.争创省级平台。\n三、保障措施\n(一)加强组织领导。\n"
    )
    assert outline(plan) == [("(一)", "培育创新主体", ["1"]), ("(二)", "建设创新平台", ["1"])]


def test_point_style_sections_start_lines_with_yi_shi():
    plan = parse_plan(
        "XX市科技局2025年工作计划\n一、2024年工作回顾\n2024年，新增高新技术企业56家。\n二、2025年工作计划\n"
        "一是加快培育创新主体。全年新增国家高新技术企业60家。\n二是建设创新平台。新建省级以上创新平台8个。\n"
    )
    assert outline(plan) == [("一是", "加快培育创新主体", [""]), ("二是", "建设创新平台", [""])]
    assert [t["value"] for t in all_targets(plan)] == [60, 8]


def test_bracketed_and_circled_items_stay_inside_their_task():
    plan = parse_plan(
        "XX区科技创新工作方案\n一、重点任务\n1、实施科技企业培育工程\n（1）每年新增高新技术企业20家以上；\n"
        "（2）培育科技型中小企业300家。\n2、实施平台提升工程\n①新建市级以上研发平台10个；\n②推动平台服务企业1000家次。\n"
    )
    assert outline(plan) == [("一、", "重点任务", ["1", "2"])]
    first, second = plan["sections"][0]["tasks"]
    assert [i["text"] for i in first["indicators"]] == [
        "每年新增高新技术企业20家以上",
        "培育科技型中小企业300家",
    ]
    assert [i["value"] for i in second["indicators"]] == [10, 1000]


def test_full_width_numbers_and_brackets_read_like_half_width_ones():
    plan = parse_plan(
        "县科技局２０２４年工作计划\n（一）平台能级提档\n１．培育平台。新增研发平台１２家以上。\n"
    )
    assert outline(plan) == [("(一)", "平台能级提档", ["1"])]
    target = all_targets(plan)[0]
    assert (target["value"], target["comparator"], target["text"]) == (12, ">=", "新增研发平台１２家以上")


def glued_pages() -> str:
    """A converted document: one line per page, each starting with the page number and 、."""
    filler = "加强基础研究和应用基础研究，实施源头创新引领工程，获得一批前沿研究成果。"
    return "\n".join(
        [
            "1、建设科技强市三年工作方案为深入实施创新驱动发展战略，制定本方案。一、指导思想坚持科技创新。二、主",
            "2、要目标到2025年，全市高新技术企业数量达300家。三、重点任务(-)实施科技创新能力提升工程L建设高水平创新平台。"
            + filler * 3
            + "筹备组建产业技术研究院，建设5家产业技术研究院专业研究",
            "3、所。"
            + filler * 3
            + "2、高端人才引育集聚。"
            + filler * 2
            + "到2025年，高层次创新人才团队达10个以上。(二)实施产业链创新链融合工程L围绕产业链部署创新链。"
            + filler
            + "建设技术创新中心5家。四、保障措施(-)加强组织",
            "4、领导。" + filler * 4,
        ]
    )


def test_page_numbers_glued_to_pages_and_ocr_artifacts_do_not_break_the_outline():
    text = glued_pages()
    plan = parse_plan(text)
    assert (plan["title"], plan["year"]) == ("建设科技强市三年工作方案", 2025)
    assert outline(plan) == [
        ("(一)", "实施科技创新能力提升工程", ["1", "2"]),
        ("(二)", "实施产业链创新链融合工程", ["1"]),
    ]
    assert [g["text"] for g in plan["goals"]] == ["全市高新技术企业数量达300家"]
    split = plan["sections"][0]["tasks"][0]["indicators"][0]
    assert split["text"] == "建设5家产业技术研究院专业研究\n3、所"  # exact document text, debris included
    assert split["text"] in text
    assert split["name"] == "建设产业技术研究院专业研究所"


def test_lines_wrapped_at_a_fixed_width_and_page_footers_are_joined_back():
    paragraph = (
        "实施高新技术企业倍增行动。建立高新技术企业培育库，全年新增高新技术企业80家以上，"
        "高新技术企业总数达到450家，科技型中小企业评价入库800家以上，技术合同成交额突破50亿元。"
    )
    body = "\n".join(paragraph[i : i + 24] for i in range(0, len(paragraph), 24))
    text = f"县科技局2024年工作计划\n(一)培育创新主体\n1.{body}\n- 2 -\n2.{body}\n"
    plan = parse_plan(text)
    assert outline(plan) == [("(一)", "培育创新主体", ["1", "2"])]
    found = plan["sections"][0]["tasks"][0]["indicators"]
    assert [(t["value"], t["unit"]) for t in found] == [(80, "家"), (450, "家"), (800, "家"), (50, "亿元")]
    assert all(t["text"] in text for t in found)


def test_a_numbered_list_without_sections_is_one_unlabelled_section():
    plan = parse_plan(
        "1、全力争取科技项目资金。全年争取科技项目资金200万元以上。\n2、积极打造科技创新平台。\n"
    )
    assert outline(plan) == [("", "", ["1", "2"])]
    assert has_structure(plan)


def test_closing_words_after_the_last_task_are_not_part_of_it():
    plan = parse_plan(
        "2024年全市科技创新工作要点\n一、深化科技合作\n1.深化大学合作。导入科技型企业3家。\n2.深化院所合作。\n"
        "建功新时代、奋进新征程。要坚持党建引领。\n附:2024年全市科技创新工作计划一览表\n"
    )
    assert plan["sections"][0]["tasks"][-1]["text"] == "深化院所合作。"


# Goals -----------------------------------------------------------------------------------------


def test_targets_of_the_goal_part_are_plan_goals():
    plan = parse_plan(
        "XX县创新提升行动实施方案\n一、工作目标\n力争全社会研发经费投入增长12%以上,新增高价值发明专利1件左右。\n"
        "二、工作任务\n(一)平台能级提档\n1.培育平台。新建市级以上创新平台1个。\n"
    )
    assert [(g["text"], g["comparator"], g["kind"]) for g in plan["goals"]] == [
        ("全社会研发经费投入增长12%以上", ">=", "growth_rate"),
        ("新增高价值发明专利1件左右", "approx", "count"),
    ]
    assert [i["text"] for i in plan["sections"][0]["tasks"][0]["indicators"]] == ["新建市级以上创新平台1个"]


def test_goals_announced_before_the_first_heading_count_but_past_results_do_not():
    plan = parse_plan(
        "XX县科学技术局2024年工作要点\n"
        "2023年，全县新增高新技术企业12家。全县科技工作的主要目标是：全年新增高新技术企业15家以上。\n"
        "一、强化创新主体\n1.实施倍增计划。新认定高新技术企业20家。\n"
    )
    assert [g["text"] for g in plan["goals"]] == ["全年新增高新技术企业15家以上"]


# Departments -----------------------------------------------------------------------------------


def test_units_before_qiantou_lead_and_the_others_are_co_responsible_without_et_cetera():
    lead, co = parse_departments(
        "力争新建市级以上创新平台1个。(县发展和改革局、县商务科技和工业信息化局牵头,县财政局、县卫生健康局、"
        "通道产业开发区管委会等相关部门按职责分工负责)"
    )
    assert lead == ["县发展和改革局", "县商务科技和工业信息化局"]
    assert co == ["县财政局", "县卫生健康局", "通道产业开发区管委会"]


def test_departments_in_full_width_brackets_after_a_comma_of_either_width():
    lead, co = parse_departments(
        "出台专门办法。（县委组织部、县科技局牵头、县财政局、县科协等按职责分工负责）"
    )
    assert (lead, co) == (["县委组织部", "县科技局"], ["县财政局", "县科协"])


def test_a_task_without_a_closing_parenthesis_names_no_department():
    assert parse_departments("加快核心技术攻关。鼓励领军企业牵头、高校院所支撑。") == ([], [])
    assert parse_departments("检查执法制度落实情况(时间:3-12月);") == ([], [])
    assert parse_departments("引育研发企业(中心)") == ([], [])


def test_labelled_responsibilities_and_bracketed_notes_in_names():
    lead, co = parse_departments("加强平台建设。（牵头单位：县科技局；配合单位：县财政局、各乡镇（街道））")
    assert (lead, co) == (["县科技局"], ["县财政局", "各乡镇（街道）"])
    # 责任单位 standing alone leads (CONVENTIONS.md); after a 牵头单位 it is co-responsible.
    assert parse_departments("加强平台建设。\n责任单位：区科技局、区财政局") == (["区科技局", "区财政局"], [])


def test_a_lead_marked_in_place_and_a_lead_who_also_does_the_work():
    assert parse_departments("xx。（责任单位：县科技局（牵头）、县财政局）") == (["县科技局"], ["县财政局"])
    lead, co = parse_departments("xx。(县科技局牵头负责，县财政局、县直有关部门配合)")
    # A catch-all that names a body is a unit (CONVENTIONS.md); a bare 有关部门 is not.
    assert (lead, co) == (["县科技局"], ["县财政局", "县直有关部门"])


def test_departments_at_the_end_of_a_task_heading_line_belong_to_the_task():
    plan = parse_plan(
        "县科技局2024年工作计划\n(一)平台能级提档\n1.实施高企倍增计划（县科技局牵头，县财政局配合）\n"
        "建立培育库，新增高企20家。\n2.检查执法制度落实情况(时间:3-12月);\n"
    )
    first, second = plan["sections"][0]["tasks"]
    assert (first["title"], first["lead"], first["co"]) == ("实施高企倍增计划", ["县科技局"], ["县财政局"])
    assert (second["title"], second["lead"], second["co"]) == ("检查执法制度落实情况", [], [])


def test_departments_come_out_on_their_task():
    plan = parse_plan(
        "XX县实施方案\n(一)平台能级提档\n1.培育平台。新建平台1个。(县科技局牵头,县财政局按职责分工负责)\n"
        "2.协同创新。鼓励平台优化资源。\n"
    )
    first, second = plan["sections"][0]["tasks"]
    assert (first["lead"], first["co"]) == (["县科技局"], ["县财政局"])
    assert (second["lead"], second["co"]) == ([], [])


# Title and year --------------------------------------------------------------------------------


def test_navigation_and_publication_lines_are_skipped_and_the_published_year_is_used():
    plan = parse_plan(
        "首页 > 专题专栏 > 通道县大力实施“八大行动” > 政策文件\n\n通道侗族自治县创新提升行动实施方案\n\n"
        "发布时间:2024-03-25 13:38 信息来源:通道县人民政府\n\n一、工作目标\n新增高价值发明专利1件左右。\n"
    )
    assert (plan["title"], plan["year"]) == ("通道侗族自治县创新提升行动实施方案", 2024)


def test_metadata_lines_and_repeated_titles_do_not_become_the_title():
    plan = parse_plan(
        "2024年全市科技创新工作要点\n索引号 : 011336941/2024-05811 文       号 : 无\n"
        "名       称: 2024年全市科技创新工作要点 发布日期: 2024年02月27日\n2024年全市科技创新工作要点\n"
        "一、深化科技合作\n1.深化大学合作。\n"
    )
    assert (plan["title"], plan["year"]) == ("2024年全市科技创新工作要点", 2024)


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("XX市科技创新三年行动方案(2021-2025年)", 2025),
        ("XX区2024年科技创新工作实施方案（2024—2026年）", 2026),
        ("XX县“十四五”科技创新规划", 2025),
        ("县科技局2024年工作计划", 2024),
    ],
)
def test_the_year_is_the_last_year_of_the_title(title, year):
    assert parse_plan(f"{title}\n一、重点任务\n1.推进工作。\n")["year"] == year


def test_the_plan_named_by_a_publishing_notice_is_the_title():
    plan = parse_plan(
        "关于印发《XX县2024年科技工作要点》的通知\n各乡镇：\n现将《XX县2024年科技工作要点》印发给你们。\n"
        "一、强化主体\n新增高企10家。\n"
    )
    assert (plan["title"], plan["year"]) == ("XX县2024年科技工作要点", 2024)


def test_without_a_year_in_the_title_a_multi_year_plan_ends_in_its_target_year():
    plan = parse_plan(
        "建设科技强市三年工作方案\n发布日期：2023-05-10\n一、主要目标\n到2025年，全市高新技术企业数量达300家。\n"
    )
    assert plan["year"] == 2025


def test_without_a_year_in_the_title_a_yearly_plan_is_for_the_year_it_was_published():
    plan = parse_plan(
        "XX县创新提升行动实施方案\n发布时间:2024-03-25\n一、重点任务\n1.推进项目建设，到2025年建成平台5个。\n"
    )
    assert plan["year"] == 2024


# Robustness ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", "   \n\t ", "随便写点什么", "hello world", "\x00\ufeff", "(" * 2000, "一、" * 500]
)
def test_any_text_gives_the_full_structure_without_raising(text):
    plan = parse_plan(text)
    assert set(plan) == {"title", "year", "goals", "sections"}
    json.dumps(plan, ensure_ascii=False)


def test_text_without_headings_has_no_structure_but_keeps_stated_targets():
    plan = parse_plan("今年我们要努力工作，力争新增高新技术企业10家。")
    assert plan["sections"] == []
    assert not has_structure(plan)
    assert [g["value"] for g in plan["goals"]] == [10]


def test_random_junk_never_raises_and_every_text_is_a_substring_of_the_input():
    alphabet = (
        "一二三四五六七八九十两()（）、。，,.;；：:L-—~%1234567890 \n“”《》〔〕"
        + "家个项人亿元以上左右达到突破牵头负责等部门是①"
    )
    generator = random.Random(7)
    for _ in range(300):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 300)))
        plan = parse_plan(text)
        for target in all_targets(plan):
            assert target["text"] in text
        for section in plan["sections"]:
            for task in section["tasks"]:
                assert task["text"] in text


def test_the_command_prints_the_json_for_a_file(tmp_path, capsys):
    path = tmp_path / "plan.txt"
    path.write_text("县科技局2024年工作计划\n(一)平台能级提档\n1.培育平台。新建平台1个。\n", encoding="utf-8")
    assert main([str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "县科技局2024年工作计划"
    assert printed["sections"][0]["tasks"][0]["indicators"][0]["value"] == 1


# Against the annotated seed plans --------------------------------------------------------------

SUMMARY = re.compile(
    r"indicators P (?P<p>[\d.]+) R (?P<r>[\d.]+) F1 (?P<f1>[\d.]+) \| comparator (?P<comparator>[\d.]+)"
    r" kind (?P<kind>[\d.]+) \| departments F1 (?P<departments>[\d.]+) \| sections F1 (?P<sections>[\d.]+)"
)


# (documents, annotations, minimum indicator F1, minimum department F1, minimum section F1)
SCORED_SETS = {
    "seeds": (SHARED / "seeds", SHARED / "importer" / "gold", 0.98, 1.0, 1.0),
    "real": (SHARED / "importer" / "real", SHARED / "importer" / "real", 0.95, 0.95, 0.0),
    "cases": (SHARED / "importer" / "cases", SHARED / "importer" / "cases", 0.95, 0.95, 0.0),
}


@pytest.mark.skipif(not (SHARED / "importer" / "score.py").exists(), reason=f"no shared scorer at {SHARED}")
@pytest.mark.parametrize("name", list(SCORED_SETS))
def test_the_scorer_meets_the_bar_on_seeds_real_plans_and_county_cases(name):
    docs, gold, min_indicators, min_departments, min_sections = SCORED_SETS[name]
    # The command a bureau runs, so the measure covers file reading and the CLI too.
    predict = f"{shlex.quote(sys.executable)} manage.py import_plan {{doc}} --dry-run --json"
    run = subprocess.run(
        [
            sys.executable,
            str(SHARED / "importer" / "score.py"),
            "--docs",
            str(docs),
            "--gold",
            str(gold),
            "--predict",
            predict,
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    summary = SUMMARY.search(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else "")
    assert summary, run.stdout + run.stderr
    scores = {key: float(value) for key, value in summary.groupdict().items()}
    assert scores["f1"] >= min_indicators, run.stdout
    assert scores["departments"] >= min_departments, run.stdout
    assert scores["sections"] >= min_sections, run.stdout
    assert scores["comparator"] >= 0.95, run.stdout
    assert scores["kind"] >= 0.95, run.stdout


def test_a_parenthesis_of_co_responsible_clauses_names_every_unit():
    found = parse_departments("xx。（县委组织部、县人社局按职责分工负责；县科技局配合）")
    assert found == ([], ["县委组织部", "县人社局", "县科技局"])
    assert parse_departments("xx。（时间：全年；持续推进）") == ([], [])
