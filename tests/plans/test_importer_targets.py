"""How the importer reads targets: wording, qualifiers, kinds, and numbers that are not targets.

Each sentence is put into the smallest plan there is (a title, a section, a task), so the
tests go through ``parse_plan`` as the import does. Pure Python: no database, no Django.
"""

from __future__ import annotations

import pytest

from plans.importers.numerals import chinese_to_int, parse_number
from plans.importers.text import parse_plan

PLAN_HEAD = "县科技局2024年工作计划\n(一)平台能级提档\n1.推进重点工作。"


def targets(sentence: str) -> list[dict]:
    """The targets the importer finds in ``sentence`` when it is the body of a task."""
    plan = parse_plan(PLAN_HEAD + sentence)
    return plan["sections"][0]["tasks"][0]["indicators"]


def only_target(sentence: str) -> dict:
    found = targets(sentence)
    assert len(found) == 1, found
    return found[0]


def reading(target: dict) -> tuple:
    """What a target says, without its wording: (value, value_max, unit, comparator, kind)."""
    return (target["value"], target["value_max"], target["unit"], target["comparator"], target["kind"])


def test_a_bare_count_is_an_equality_target_with_its_exact_text():
    target = only_target("全年净增高新技术企业310家。")
    assert target == {
        "text": "全年净增高新技术企业310家",
        "name": "净增高新技术企业",
        "value": 310,
        "value_max": None,
        "unit": "家",
        "comparator": "=",
        "kind": "count",
    }


def test_a_count_before_its_noun_keeps_the_noun_in_text_and_name():
    target = only_target("梳理重点企业清单，引育15家以上企业研发中心。")
    assert target["text"] == "引育15家以上企业研发中心"
    assert target["name"] == "引育企业研发中心"
    assert (target["value"], target["unit"], target["comparator"]) == (15, "家", ">=")


def test_a_growth_rate_is_a_percentage_of_increase_and_intent_words_stay_out_of_the_text():
    target = only_target("力争企业研发经费增速11%以上。")
    assert target["text"] == "企业研发经费增速11%以上"
    assert reading(target) == (11, None, "%", ">=", "growth_rate")


def test_a_share_of_gdp_is_a_ratio():
    target = only_target("高新技术产业增加值占地区生产总值比重18%以上。")
    assert target["kind"] == "ratio"
    assert target["name"] == "高新技术产业增加值占地区生产总值比重"


def test_a_change_in_percentage_points_of_a_share_is_a_ratio():
    target = only_target("战略性新兴产业增加值占工业增加值比重提高5个百分点以上。")
    assert reading(target) == (5, None, "个百分点", ">=", "ratio")


def test_a_density_per_ten_thousand_people_is_a_ratio_with_a_count_unit():
    target = only_target("力争每万人口有效发明专利拥有量达41件以上。")
    assert reading(target) == (41, None, "件", ">=", "ratio")


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        ("力争知识价值信用贷款备案达到0.15亿元以上。", 0.15, "亿元"),
        ("力争争取省级及以上无偿科技资金3000万元以上。", 3000, "万元"),
    ],
)
def test_money_is_an_amount_with_the_number_as_written(sentence, value, unit):
    target = only_target(sentence)
    assert reading(target) == (value, None, unit, ">=", "amount")


def test_a_place_in_the_top_n_is_a_rank_at_most_n():
    target = only_target("力争市级在全省综合考评中保持全省前10位。")
    assert reading(target) == (10, None, "位", "<=", "rank")


def test_a_unitless_composite_score_is_an_index():
    target = only_target("区域科技创新指数达到160以上。")
    assert reading(target) == (160, None, "", ">=", "index")


@pytest.mark.parametrize(
    "sentence", ["省级技术创新中心实现零的突破。", "承办全市科技活动周，获得省部级以上表彰。"]
)
def test_an_explicit_goal_without_a_number_is_qualitative(sentence):
    assert reading(targets(sentence)[-1]) == (None, None, "", None, "qualitative")


@pytest.mark.parametrize(
    "sentence",
    [
        "新认定省级示范基地2-3家。",
        "新认定省级示范基地2至3家。",
        "新认定省级示范基地2～3家。",
        "新认定省级示范基地2家至3家。",
    ],
)
def test_a_span_is_a_range_with_its_upper_end(sentence):
    assert reading(only_target(sentence)) == (2, 3, "家", "range", "count")


@pytest.mark.parametrize(
    ("sentence", "value", "comparator"),
    [
        ("培育科技型企业十五家。", 15, "="),
        ("选派科技特派员一百二十名。", 120, "="),
        ("新增省级研发平台十家以上。", 10, ">="),
        ("新建省级创新平台两个以上。", 2, ">="),
    ],
)
def test_chinese_numerals_are_converted(sentence, value, comparator):
    target = only_target(sentence)
    assert (target["value"], target["comparator"]) == (value, comparator)


def test_chinese_numeral_conversion():
    numerals = ["两", "十", "十五", "二十", "一百二十", "一千零五"]
    assert [chinese_to_int(numeral) for numeral in numerals] == [2, 10, 15, 20, 120, 1005]
    assert chinese_to_int("一二十") is None


def test_large_chinese_numerals_keep_their_place_values():
    assert chinese_to_int("一亿五千万") == 150_000_000
    assert chinese_to_int("二〇二五") == 2025
    assert chinese_to_int("万万") is None
    target = only_target("设立科技成果转化基金一亿五千万元。")
    assert (target["value"], target["unit"], target["kind"]) == (15000, "万元", "amount")


def test_a_long_run_of_digits_or_numerals_is_read_in_one_pass():
    # Both used to be retried at every digit (quadratic); the result is no target at all.
    assert parse_plan("一、任务\n" + "1" * 20_000)["sections"][0]["tasks"][0]["indicators"] == []
    assert parse_plan("一、任务\n" + "一" * 20_000 + "家")["sections"][0]["tasks"][0]["indicators"] == []


def test_ocr_letters_inside_a_number_are_read_as_digits():
    assert parse_number("IOO") == 100
    assert only_target("遴选IOO家以上重点企业。")["value"] == 100


@pytest.mark.parametrize(
    ("sentence", "comparator"),
    [
        ("新增高价值发明专利1件左右。", "approx"),
        ("新增科技贷款约5000万元。", "approx"),
        ("全县专利授权量控制在500件以内。", "<="),
        ("财政科技支出不超过2亿元。", "<="),
        ("入库企业不少于40家。", ">="),
        ("孵化面积不低于5000平方米。", ">="),
        ("在孵企业突破50家。", ">="),
        ("科技型中小企业入库达1533家。", ">="),
        ("力争新建市级以上创新平台1个。", "="),
        ("确保新增高新技术企业20家。", "="),
    ],
)
def test_qualifier_words_give_the_comparator_and_intent_words_do_not(sentence, comparator):
    assert only_target(sentence)["comparator"] == comparator


def test_breaking_through_a_counted_object_is_a_verb_not_a_threshold():
    target = only_target("力争突破5项现代种业繁育关键技术。")
    assert target["comparator"] == "="
    assert target["name"] == "突破现代种业繁育关键技术"
    assert only_target("突破10项以上关键核心技术。")["comparator"] == ">="


def test_a_listed_pair_gives_two_targets_and_the_verb_governs_both():
    first, second = targets("推进“智赋千企”行动，新增15家企业上云、15家企业上平台。")
    assert (first["text"], second["text"]) == ("新增15家企业上云", "15家企业上平台")
    assert second["name"] == "新增企业上平台"


def test_targets_run_together_without_punctuation_are_separated():
    found = targets("获得新技术300项以上其中突破产业关键核心技术50项以上形成新产品300个以上。")
    assert [(t["text"], t["value"], t["unit"]) for t in found] == [
        ("获得新技术300项以上", 300, "项"),
        ("突破产业关键核心技术50项以上", 50, "项"),
        ("形成新产品300个以上", 300, "个"),
    ]


def test_a_measure_in_a_later_clause_takes_the_subject_of_the_earlier_one():
    found = targets("力争全市研发经费投入达到35亿元，增幅达到59%，占GDP比重达到1.5%。")
    assert [(t["text"], t["kind"]) for t in found] == [
        ("全市研发经费投入达到35亿元", "amount"),
        ("增幅达到59%", "growth_rate"),
        ("占GDP比重达到1.5%", "ratio"),
    ]
    assert found[1]["name"] == "全市研发经费投入增幅"
    assert found[2]["name"] == "全市研发经费投入占GDP比重"


def test_an_alternative_unit_in_brackets_stays_with_the_unit():
    target = only_target("全职和柔性引进高层次科技创新人才和团队5人(个)以上。")
    assert (target["value"], target["unit"]) == (5, "人(个)")


def test_a_frequency_is_a_count_of_times_that_keeps_its_period():
    target = only_target("组织包户干部每月至少联系走访1次。")
    assert reading(target) == (1, None, "次", ">=", "count")
    assert "每月" in target["name"]
    period_only = only_target("检查案卷规范化管理情况(时间:每季度1次)。")
    assert period_only["text"] == "每季度1次"
    assert "每季度" in period_only["name"]


def test_a_frequency_in_chinese_numerals_counts():
    target = only_target("单位主要负责同志每半年至少到帮扶村调研走访一次。")
    assert (target["value"], target["unit"]) == (1, "次")


@pytest.mark.parametrize(
    "sentence",
    [
        "构建“1+3”区域创新格局，聚焦“3+5+8”产业体系。",
        "持续提升两城一湾一基地四大战略平台创新能级。",
        "加快推进省十大技术攻关项目。",
        "加快5G基站建设。",
        "做好“双随机、一公开”监管工作。",
        "打造1+3个科创中心格局。",
    ],
)
def test_numbers_that_name_things_are_not_targets(sentence):
    assert targets(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "检查执法制度落实情况(时间:3-12月)。",
        "2024年是实施规划的关键一年。",
        "落实《研发投入三年行动方案(2023-2025年)》(长县科创委发〔2023〕4号)。",
        "引进中科曙光第一研究所等项目。",
        "聚焦第五代移动通信技术。",
    ],
)
def test_dates_document_numbers_and_ordinals_are_not_targets(sentence):
    assert targets(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "开展创新布局优化、产业转型升级、体制机制创新等8个方面工作任务。",
        "努力突破一批关键核心技术。",
        "建立一个副市长联系一个县的工作制度。",
        "聚焦未来制造、未来信息等五大方向。",
        "开展百名博士进百企行动。",
    ],
)
def test_counts_of_listed_items_and_bare_chinese_numerals_are_not_targets(sentence):
    assert targets(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "2023年，全县新增高新技术企业12家，技术合同成交额达到2.1亿元。",
        "全县已建成众创空间3家。",
        "今年以来新增科技型企业10家。",
        "去年新增高新技术企业8家。",
    ],
)
def test_numbers_that_report_the_past_are_not_targets(sentence):
    assert targets(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        ("实施投资1000万元以上的项目20个。", "实施投资1000万元以上的项目20个"),
        ("培育产值超10亿元企业5家。", "培育产值超10亿元企业5家"),
    ],
)
def test_a_figure_describing_the_counted_thing_is_not_a_target_of_its_own(sentence, text):
    target = only_target(sentence)
    assert target["text"] == text
    assert target["kind"] == "count"


@pytest.mark.parametrize(
    "sentence",
    [
        "对首次认定的高新技术企业给予最高20万元奖励。",
        "按研发费用的10%给予补助。",
        "依托现有3家孵化器开展服务。",
    ],
)
def test_incentives_and_existing_stock_are_not_targets(sentence):
    assert targets(sentence) == []


def test_a_past_year_as_comparison_base_still_sets_a_target():
    target = only_target("技术合同成交额较2023年增长10%。")
    assert (target["value"], target["kind"]) == (10, "growth_rate")


def test_a_heading_that_counts_its_items_gives_no_target():
    plan = parse_plan(
        "2024年全市科技创新工作要点\n三、深化三项科技合作\n1.深化武汉大学合作。导入科技型企业3家。\n"
        "五、推进五大重点项目\n1.做优大学科技园。力争在孵企业突破50家。"
    )
    found = [i["text"] for s in plan["sections"] for t in s["tasks"] for i in t["indicators"]]
    assert found == ["导入科技型企业3家", "在孵企业突破50家"]
