"""Quantitative targets in a stretch of plan text.

A target is a number with its unit (家 个 项 人 % 亿元 …) in a clause that sets
something to achieve: 全年净增高新技术企业310家, 增幅达到59%, 2-3家. Around the number,
qualifier words give the comparator (以上 达到 突破 → ≥; 以内 前N位 → ≤; 左右 约 → ≈)
and the subject's words give the kind (增速 → growth rate, 占比 比重 → ratio, 亿元 → amount).

Numbers that only name or count things are left out: numbers in quotation marks and
book-title marks (“1+3”格局, 《…2023-2025年》), ordinals (第一), counts of the items
just listed (…等8个方面), single Chinese numerals with no qualifier (五大方向, 两个维护,
一批), dates and document numbers (their units are not units of a target), and
clauses that report the past (已, 以来, 现有, 2023年 in a 2024 plan) or describe an
incentive (给予最高50万元奖励).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import Number, parse_number
from .source import Source

CJK_RANGE = "\u4e00-\u9fff"

MONEY_UNITS = ("亿元", "万元", "千元", "元", "亿美元", "万美元")
PERCENT_UNITS = ("%", "‰", "个百分点", "百分点", "倍", "番")
_TIMES_UNITS = ("万人次", "人次", "场次", "家次", "户次", "批次", "万次", "次")
_MEASURE_UNITS = (
    "万平方米",
    "平方米",
    "平方公里",
    "公顷",
    "万亩",
    "亩",
    "万千瓦",
    "千瓦",
    "兆瓦",
    "万吨",
    "吨",
    "公里",
)
_LARGE_COUNT_UNITS = ("万人", "万户", "万家", "万个", "万件", "万项", "万名", "万台", "万套")
_COUNT_UNITS = (
    "人年",
    "个",
    "家",
    "人",
    "名",
    "项",
    "件",
    "场",
    "期",
    "位",
    "篇",
    "部",
    "套",
    "台",
    "座",
    "所",
    "批",
)
_MORE_COUNT_UNITS = ("款", "种", "条", "户", "支", "处", "株", "头", "只", "本", "份", "届", "轮", "例", "辆")
_SCORE_UNITS = ("分",)
# Longest first, so 个百分点 wins over 个 and 人次 over 人.
UNITS = sorted(
    {
        *MONEY_UNITS,
        *PERCENT_UNITS,
        *_TIMES_UNITS,
        *_MEASURE_UNITS,
        *_LARGE_COUNT_UNITS,
        *_COUNT_UNITS,
        *_MORE_COUNT_UNITS,
        *_SCORE_UNITS,
    },
    key=lambda unit: (-len(unit), unit),
)
_UNIT_ALTERNATION = "|".join(re.escape(unit) for unit in UNITS)
# A unit that begins a longer word is not a unit (人才, 项目, 场景, 部门, 3个月 …).
_NOT_A_UNIT = {
    "个": ("月", "工作日"),
    "人": tuple("才员民口均力们工"),
    "名": tuple("单称录牌额义"),
    "项": ("目",),
    "场": tuple("景所地馆合"),
    "位": tuple("于置"),
    "部": tuple("门署分"),
    "所": tuple("属有以在需"),
    "支": tuple("持撑部付出"),
    "处": tuple("理置"),
    "种": tuple("植类子业养"),
    "条": tuple("例件款"),
    "分": tuple("钟之类别析局布配工享"),
    "期": tuple("间限刊"),
    "家": tuple("庭居具"),
    "元": tuple("素旦器"),
    "次": tuple("数要"),
    "件": ("事",),
    "台": ("账",),
    "本": tuple("地级市县区"),
    "头": ("部",),
    "届": ("时",),
    "款": ("项",),
}

# Each alternative starts only where a run of its characters starts and is bounded, so a long run of
# digits costs linear time (an unanchored \\d+ retried at every digit of 5,000 is quadratic).
_NUMBER = (
    r"(?<![\d,.])\d{1,15}(?:,\d{3}){0,5}(?:\.\d{1,8})?(?![\d,])"
    r"|(?<![0-9IlO])[0-9IlO]{2,12}(?![0-9IlO])"
    r"|(?<![零〇一二两三四五六七八九十百千万亿])[零〇一二两三四五六七八九十百千万亿]{1,16}"
)
_QUANTITY = re.compile(
    rf"""
    (?P<num>{_NUMBER})
    (?P<more>余|多)?
    (?:\s*(?P<unit1>{_UNIT_ALTERNATION})?\s*(?P<sep>[-~至到])\s*(?P<num2>{_NUMBER}))?
    \s*(?P<unit>{_UNIT_ALTERNATION})
    (?P<alt>\((?:{_UNIT_ALTERNATION})\))?
    (?P<post>及以上|以上|以下|以内|左右|上下|多|余)?
    """,
    re.VERBOSE,
)
# A composite score has no unit: 区域科技创新指数达到160以上.
# Money that classes what follows: 亿元企业, 千万元级项目.
_MONEY_CLASS = re.compile(r"级?(?:企业|项目|产业|集群|工程|龙头)")
_UNITLESS = re.compile(r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)(?![\d.])(?P<post>以上|以下|以内|左右)?")
_INDEX_SUBJECT = re.compile(r"指数|得分|评分|分值")

# The word right before a number that qualifies it, and the comparator it gives.
_AT_LEAST_WORDS = (
    "不少于",
    "不低于",
    "超过",
    "突破",
    "达到",
    "达",
    "高于",
    "大于",
    "多于",
    "至少",
    "超",
    "逾",
)
_REACH_WORDS = ("提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "增长到", "增至", "≥", ">=", ">")
_AT_MOST_WORDS = ("不超过", "不高于", "少于", "低于", "控制在", "前", "≤", "<=", "<")
PRE_QUALIFIERS = {
    **dict.fromkeys(_AT_LEAST_WORDS + _REACH_WORDS, ">="),
    **dict.fromkeys(_AT_MOST_WORDS, "<="),
    **dict.fromkeys(("约", "近"), "approx"),
}
# Longest first and anchored at the end: the leftmost match is the whole word (不少于, not 少于).
_PRE_QUALIFIER = re.compile(
    "(?:" + "|".join(re.escape(w) for w in sorted(PRE_QUALIFIERS, key=len, reverse=True)) + r")\s*$"
)
# Verbs that read as qualifiers before a figure but as plain verbs before 一批, 两个 (突破一批技术).
_LOOSE_PRE = re.compile(r"(?:突破|达到|达|超)\s*$")
# 突破 before a counted noun is the verb "achieve a breakthrough in" (突破5项关键技术), not "exceed".
_VERB_PRE = re.compile(r"突破\s*$")
_AT_LEAST_ANYWHERE = re.compile(r"至少|不少于|不低于")
_AT_MOST_ANYWHERE = re.compile(r"最多|不超过|不高于")
_POST_COMPARATOR = {"及以上": ">=", "以上": ">=", "多": ">=", "余": ">=", "以下": "<=", "以内": "<="}
_POST_COMPARATOR |= {"左右": "approx", "上下": "approx"}

# Text inside these marks names things (“1+3”, 《…(2023-2025年)》, 〔2023〕4号).
_QUOTED = re.compile(
    r"“[^”\n]{0,60}”|‘[^’\n]{0,60}’|\"[^\"\n]{0,60}\"|《[^》\n]{0,120}》|〔[^〕\n]{0,12}〕|「[^」\n]{0,60}」"
)
_CLAUSE_STOP = re.compile(r"[,，;；。:：!！?？\n]")
_SENTENCE_STOP = re.compile(r"[;；。!！?？\n]")

# Words that start a clause but belong to no target.
_LEAD_IN = re.compile(
    r"^(?:\s|\(\d{1,2}\)|[\u2460-\u2473]|\d{1,2}(?:、|\.(?!\d))|[一二三四五六七八九十]是"  # item numbers
    r"|力争|确保|努力|力求|预计|计划|其中|并且|并|同时|此外|另外|全力|争取(?=到|在)"  # intent, linking
    r"|(?:到|至|在)?\d{4}年(?:底|末|前)?|年内)+"  # the deadline
)
_NAME_EDGE = re.compile(
    r"^(?:全年|年内|力争|确保|努力|力求|实现|其中|的|积极|持续|继续|进一步|加快|全力|大力|探索|推动)+"
    r"|(?:力争|确保|实现|保持在|保持|为|的|是)+$"
)
# Verbs that open a target (新增…, 建设…); the first one of a list governs the items after it.
_VERBS = (
    "新增|新建|新认定|新培育|净增|认定|建设|建成|建立|培育|引进|引育|支持|选派|申报|组织|实施|打造|获批|获得"
    "|完成|举办|开展|形成|转化|审定|推荐|遴选|导入|创建|争取|发布|培训|入驻|招引|签约|孵化|备案|登记|突破|服务"
)
_LEADING_VERB = re.compile(rf"(?:{_VERBS})")
# A scene-setting phrase ending in an enumeration before the verb: 围绕A、B等产业导入…, 组织A、B等申报….
_SETTING = re.compile(
    rf"(?:围绕|聚焦|依托|针对|结合|立足|通过|借助|组织|邀请|推动|鼓励|引导|指导)[^,，;；。]*?等[{CJK_RANGE}]{{0,4}}?(?={_VERBS})"
)
# Where one target's words end and the next one's begin inside a clause.
_LIST_SEPARATOR = re.compile(r"、")
_JOIN_SEPARATOR = re.compile(r"以及|和|及|与|并|其中|同时")

# Past tense: 已, 以来, 了 after a verb.
_PAST_WORDS = re.compile(r"已|以来|近年来|去年|上年度|过去|(?<![实发表体])现有|截至目前|(?<![为除])了(?!解)")
# Incentive terms describe a policy, not a target: 给予最高50万元奖励, 按研发费用的10%补助.
_INCENTIVE = re.compile(r"给予|最高|按[^,，;；。]*的\s*\d")
_YEAR = re.compile(r"(?<![\d\-~至到])(\d{4})年(?!度|\s*[-~至到]\s*\d)")  # 2023年度 names a year, not the past
_NOT_PAST_BEFORE_YEAR = "较比与同到至在于"
_SENTENCE_PAST_YEAR = re.compile(r"^\s*(?:截至|截止到?)?(\d{4})年(?!\s*[-~至到])")
_FREQUENCY_PERIOD = re.compile(r"每|半年|季度|年度|月|周")
_PERIOD_ONLY = re.compile(r"^(?:每)?(?:个)?(?:半年|季度|年度|年|月|周|日|天)+$")

_DENSITY = re.compile(r"每(?:十万|万|千|百)(?:人|人口|名|户)|人均|每平方公里")
_RATIO_WORDS = re.compile(r"占|比重|比例|强度|率|覆盖|渗透|贡献")
_GROWTH_WORDS = re.compile(r"增长|增速|增幅|增加|提高|提升|下降|降低|减少|增")
_RANK_UNITS = {"位", "名"}
# 全市前三, 全省前10水平: a rank whose 位 goes unsaid.
_RANK_WITHOUT_UNIT = re.compile(
    r"(?:全国|全省|全市|全州|全区|全县|同类[^,，;；。]{0,6}?)(?:排名|排位|位次)?前"
    r"(?P<num>\d{1,3}|[一二三四五六七八九十]{1,3})(?![\d一二三四五六七八九十位名])(?:水平|行列|方阵)?"
)
# 每增(减)1个百分点, 每少1家: the step of a scoring rule.
_STEP = re.compile(r"每(?:增|减|少|多|超|降|低|高|提高|降低|下降|增加|减少)(?:\([增减加]\))?\s*$")
# 计5分, 得10分, 扣1分, 加(减)0.2分, 加分, 扣完为止: a scoring rule.
_SCORE_RULE = re.compile(r"[计得扣加减](?:\([加减扣]\))?\s*[\d.]*\s*分|加分|扣分|减分|扣完为止|评分|考核办法")
_MIN_NAMED_ITEMS = 3
_MAX_NAMES_HEAD = 80
_MAX_CACHED = 256
_MAX_RESPECTIVELY = 12
# A name made only of periods and 完成/达到: 一、二、三、四季度分别完成, 上半年完成.
_MILESTONE_ONLY = re.compile(
    r"[一二三四、,，\s]*(?:季度|季|上半年|下半年|全年|年底|年末|月底|月末|\d{1,2}月)*[、,，\s]*(?:分别)?(?:完成|达到?)"
)
_MAX_NAME_ITEM = 10
_TOTAL_WORDS = re.compile(r"等|共|合计|总计|累计")
# What follows a threshold that describes its subject: 的企业, 的项目 (but 的目标 states one).
_SUBJECT_AFTER = re.compile(r"(?:以上|以下)?的(?!目标|任务|水平|要求|增长|增幅|规模)[\u4e00-\u9fff]")
_RESPECTIVELY = re.compile(r"分别")
# Units of a single Chinese numeral that stay vague even at the end of a clause (一批, 一些).
_VAGUE_UNITS = {"批", "种", "条", "部", "期", "轮", "届", "本"}
_RANK_ORDINAL = re.compile(
    r"(?:全省|全市|全国|全区|排名|位居|位列)第$"
)  # 全省第3位 is a rank, 第一批 an ordinal
_CJK = re.compile(f"[{CJK_RANGE}]")
_SINGLE_CHINESE = set("零〇一二两三四五六七八九十百千")

# Explicit goals with no number: 实现零的突破, 进入全省第一方阵, 获得省部级以上表彰.
_QUALITATIVE = re.compile(
    r"实现[^,，;；。]{0,8}零的?突破|(?:保持|进入|跻身|稳居|位居)[^,，;；。]{0,12}(?:第一方阵|第一梯队|前列)"
    r"|获得?[^,，;；。\d]{0,16}(?:表彰|表扬|称号)"
)
# A name that is only a measure (增幅, 占GDP比重) belongs to the subject of the target before it.
_MEASURE = r"(?:同比)?(?:增幅|增速|增长率?|占\S{0,6}比重|占比|比重)"
_MEASURE_ONLY = re.compile(_MEASURE)
_TRAILING_MEASURE = re.compile(_MEASURE + "$")
_MAX_NAME = 200
# How far before a number its qualifiers are looked for (每月至少联系走访1次).
_QUALIFIER_REACH = 30


@dataclass
class _Quantity:
    """A number with its unit inside a clause, before it becomes an indicator."""

    start: int  # first character of the number, or of a qualifier right before it
    num_start: int
    end: int  # after the unit and any qualifier that follows
    value: Number
    value_max: Number | None
    unit: str
    unit_span: tuple[int, int]  # the unit as written, with an alternative unit such as 人(个)
    comparator: str
    rank: bool = False
    implied_unit: str = ""  # a unit the plan leaves unsaid: 全市前三 is a rank in 位
    together: tuple[int, int] | None = None  # the whole span of a 分别 list the target belongs to


def extract_indicators(
    source: Source, start: int, end: int, *, plan_year: int | None = None, context: str = ""
) -> list[dict]:
    """Every target stated between ``start`` and ``end`` (clean positions), in document order.

    ``plan_year`` lets numbers that report earlier years be recognised as the past;
    ``context`` (the task title) names a frequency target stated only as a period (每季度1次).
    """
    norm = source.norm
    masked = _mask_quoted(norm, start, end)
    indicators: list[dict] = []
    for sent_start, sent_end in _spans(_SENTENCE_STOP, norm, start, end):
        if _past_sentence(norm[sent_start:sent_end], plan_year):
            continue
        previous_name = ""
        for clause_start, clause_end in _spans(_CLAUSE_STOP, norm, sent_start, sent_end):
            clause = masked[clause_start - start : clause_end - start]
            if _past_clause(clause, plan_year) or _INCENTIVE.search(clause):
                continue
            earlier = indicators[-1]["name"] if indicators else ""
            found = _clause_indicators(source, clause, clause_start, context, previous_name, earlier)
            if found:
                previous_name = found[-1]["name"]
            indicators.extend(found)
    return indicators


def _spans(stop: re.Pattern[str], norm: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``norm[start:end]`` at the stop characters, keeping non-empty pieces."""
    spans, position = [], start
    for match in stop.finditer(norm, start, end):
        if match.start() > position:
            spans.append((position, match.start()))
        position = match.end()
    if end > position:
        spans.append((position, end))
    return spans


def _mask_quoted(norm: str, start: int, end: int) -> str:
    """The region with quoted and book-titled text blanked out (same length), so its numbers are skipped."""
    region = norm[start:end]
    return _QUOTED.sub(lambda m: m.group()[0] + "□" * (len(m.group()) - 2) + m.group()[-1], region)


def _past_sentence(sentence: str, plan_year: int | None) -> bool:
    """A sentence that opens with an earlier year (2023年，全县…) reports results, not targets."""
    match = _SENTENCE_PAST_YEAR.match(sentence)
    return bool(match and plan_year and int(match.group(1)) < plan_year)


def _past_clause(clause: str, plan_year: int | None) -> bool:
    """A clause with past-tense words or an earlier year (not a comparison base) reports the past."""
    if _PAST_WORDS.search(clause):
        return True
    if not plan_year:
        return False
    for match in _YEAR.finditer(clause):
        before = clause[max(0, match.start() - 1) : match.start()]
        if int(match.group(1)) < plan_year and (not before or before not in _NOT_PAST_BEFORE_YEAR):
            return True
    return False


def _clause_indicators(
    source: Source, clause: str, offset: int, context: str, previous_name: str, earlier: str = ""
) -> list[dict]:
    """The targets of one clause; several when the clause lists them (15家企业上云、15家企业上平台).

    ``earlier`` is the name of the target stated before this clause's sentence: quarterly
    milestones (一、二、三、四季度分别完成9%、12%…) measure it.
    """
    quantities = _quantities(clause, offset)
    if not quantities:
        return _qualitative(source, clause, offset)
    indicators = []
    list_verb = ""
    bounds = _text_bounds(clause, offset, quantities)
    list_name = ""
    first = 0
    for index, quantity in enumerate(quantities):
        text_start, text_end = bounds[index]
        if quantity.together:
            # A 分别 list: every value is stated by the whole list and named by its first item's words.
            if index == 0 or quantities[index - 1].together != quantity.together:
                first = index
                list_name = _name(source, text_start, text_end, quantity, context, previous_name)
                list_name = _milestone_name(list_name, earlier)
            text_start, text_end = bounds[first][0], quantity.together[1]
            name = f"{list_name}({index - first + 1})"
        else:
            name = _name(source, text_start, text_end, quantity, context, previous_name)
            name = _milestone_name(name, earlier)
        if index == 0:
            verb = _LEADING_VERB.match(name)
            list_verb = verb.group() if verb else ""
        elif list_verb and not _LEADING_VERB.match(name):
            name = list_verb + name  # 新增15家企业上云、15家企业上平台: the verb governs the whole list
        indicators.append(
            {
                "text": source.original_span(text_start, text_end).strip(),
                "name": name,
                "value": quantity.value,
                "value_max": quantity.value_max,
                "unit": quantity.implied_unit or source.clean_span(*quantity.unit_span).strip(),
                "comparator": quantity.comparator,
                "kind": _kind(name, quantity),
            }
        )
        previous_name = name
    return indicators


def _quantities(clause: str, offset: int) -> list[_Quantity]:
    """Numbers with units (or unitless index scores) in a clause that state a target."""
    found = []
    for match in _QUANTITY.finditer(clause):
        quantity = _quantity(clause, match, offset)
        if (
            quantity
            and not _scoring_step(clause, offset, quantity)
            and not _counts_names(clause, offset, quantity)
        ):
            found.append(quantity)
    # A figure describing the thing counted after it is not a target of its own.
    found = [
        q
        for i, q in enumerate(found)
        if not _describes_subject(clause, offset, q)
        and (i == len(found) - 1 or not _attributive(clause, offset, q))
    ]
    found = sorted(found + _implied_ranks(clause, offset, found), key=lambda q: q.num_start)
    if not found and _INDEX_SUBJECT.search(clause):
        found = _index_scores(clause, offset)
    return _respectively(clause, offset, found)


def _scoring_step(clause: str, offset: int, quantity: _Quantity) -> bool:
    """Points of a scoring rule (计5分, 每少1家扣1分, 加分最多不超过3分) are not targets."""
    before = clause[max(0, quantity.num_start - offset - _QUALIFIER_REACH) : quantity.num_start - offset]
    if _STEP.search(before):
        return True  # 每增(减)1个百分点, 每少1家
    return quantity.unit == "分" and _scoring_clause(clause)


def _scoring_clause(clause: str, cache: dict[str, bool] = {}) -> bool:  # noqa: B006 - a per-process cache
    """Whether a clause states a scoring rule; asked once per clause however many points it names."""
    if clause not in cache:
        if len(cache) > _MAX_CACHED:
            cache.clear()
        cache[clause] = bool(_SCORE_RULE.search(clause))
    return cache[clause]


def _counts_names(clause: str, offset: int, quantity: _Quantity) -> bool:
    """A count that totals the names just listed (甲、乙、丙3家企业) describes them; it is no target."""
    if quantity.start - offset > _MAX_NAMES_HEAD:
        return False  # such a list is short; looking further would make long clauses quadratic
    head = clause[: quantity.start - offset]
    items = head.split("、")
    return (
        len(items) >= _MIN_NAMED_ITEMS
        and not any(c.isdigit() for c in head)
        and len(items[-1]) <= _MAX_NAME_ITEM
        and not _LEADING_VERB.search(items[-1])
        and not _TOTAL_WORDS.search(items[-1])
        and bool(_CJK.match(clause, quantity.end - offset))
    )


def _describes_subject(clause: str, offset: int, quantity: _Quantity) -> bool:
    """A threshold that picks out what is talked about (研发投入超2000万元的企业) is no target."""
    before = clause[max(0, quantity.num_start - offset - 2) : quantity.num_start - offset]
    threshold = (
        quantity.unit in MONEY_UNITS
        or quantity.unit in PERCENT_UNITS
        or quantity.comparator in {">=", "<="}
        or before.endswith(("超", "过"))
    )
    return threshold and bool(_SUBJECT_AFTER.match(clause, quantity.end - offset))


def _implied_ranks(clause: str, offset: int, found: list[_Quantity]) -> list[_Quantity]:
    """Ranks written without 位: 进入全市前三, 达到全市前3水平, 全省前十."""
    ranks: list[_Quantity] = []
    if "前" not in clause:
        return ranks
    taken = [(q.num_start, q.end) for q in found]
    for match in _RANK_WITHOUT_UNIT.finditer(clause):
        start = offset + match.start("num")
        if any(a <= start < b for a, b in taken):
            continue
        value = parse_number(match.group("num"))
        if not value:
            continue
        end = offset + match.end()
        ranks.append(
            _Quantity(
                start=offset + match.start(),
                num_start=start,
                end=end,
                value=value,
                value_max=None,
                unit="位",
                unit_span=(offset + match.end("num"), offset + match.end("num")),
                comparator="<=",
                rank=True,
                implied_unit="位",
            )
        )
    return ranks


def _respectively(clause: str, offset: int, found: list[_Quantity]) -> list[_Quantity]:
    """A 分别 list (分别增长5.2%、8%左右): the qualifier written once, at either end, holds for each value."""
    if len(found) < 2 or "分别" not in clause:
        return found
    marker = _RESPECTIVELY.search(clause)
    if not marker:
        return found
    listed = [q for q in found if q.num_start - offset > marker.start()]
    if (
        not 2 <= len(listed) <= _MAX_RESPECTIVELY
    ):  # a longer run is no list a plan writes; each keeps its own text
        return found
    for current, following in zip(listed, listed[1:], strict=False):
        if clause[current.end - offset : following.start - offset].strip() not in {"、", ",", "和", "及"}:
            return found
    comparator = listed[-1].comparator if listed[-1].comparator != "=" else listed[0].comparator
    span = (offset, listed[-1].end)
    for quantity in listed:
        quantity.comparator = comparator if quantity.value_max is None else "range"
        quantity.together = span
    return found


def _attributive(clause: str, offset: int, quantity: _Quantity) -> bool:
    """A figure that describes the thing counted next (投资1000万元以上的项目20个, 10亿元企业5家)."""
    position = quantity.end - offset
    return clause.startswith("的", position) or (
        quantity.unit in MONEY_UNITS and bool(_MONEY_CLASS.match(clause, position))
    )


def _quantity(clause: str, match: re.Match[str], offset: int) -> _Quantity | None:
    """Validate one number-with-unit match and read its value and comparator; None if not a target."""
    num_start = match.start("num")
    before = clause[max(0, num_start - _QUALIFIER_REACH) : num_start]  # qualifiers stand close to the number
    after_number = clause[match.end("num") : match.end("num") + 1]
    unit = match.group("unit")
    if (
        (before[-1:] and before[-1] in "+#.-/_□")
        or after_number == "+"
        or before[-1:].isascii()
        and before[-1:].isalnum()
    ):
        return None  # part of a name or code: “1+3”, 5G, IOT, 3.2.1
    if not match.group("post") and clause.startswith(_NOT_A_UNIT.get(unit, ()), match.end("unit")):
        return None  # 人才, 项目, 3个月; but 10所以上 is ten institutions
    if before.endswith("等"):
        return None  # counts the items just listed: …等8个方面
    ordinal = before.endswith("第")
    if ordinal and not (unit in _RANK_UNITS and _RANK_ORDINAL.search(before)):
        return None
    value = parse_number(match.group("num"))
    value_max = parse_number(match.group("num2")) if match.group("num2") else None
    if value is None or (match.group("num2") and value_max is None):
        return None
    if match.group("unit1") and match.group("unit1") != unit:
        return None
    unit_start = match.start("unit")
    value, unit, unit_start = _magnitude_in_unit(match.group("num"), value, unit, unit_start)
    post = match.group("post") or match.group("more") or ""
    pre_word = _pre_word(before)
    if _VERB_PRE.search(before) and _CJK.match(clause, match.end()):
        pre_word = ""  # 突破5项关键技术: a verb with its object, not a threshold
    pre_comparator = _pre_comparator(pre_word)
    strict_pre = pre_comparator and not _LOOSE_PRE.search(pre_word)
    qualified = (
        strict_pre or post or value_max is not None or (unit == "次" and _FREQUENCY_PERIOD.search(before))
    )
    if _is_single_chinese(match.group("num")) and not qualified and not _plain_count(clause, match, unit):
        return None  # 五大方向, 两个维护, 一批: names and enumerations, not targets
    comparator = _comparator(before, pre_comparator, post, value_max, ordinal)
    start = num_start - len(pre_word)
    return _Quantity(
        start=offset + start,
        num_start=offset + num_start,
        end=offset + match.end(),
        value=value,
        value_max=value_max,
        unit=unit,
        unit_span=(
            offset + unit_start,
            offset + (match.end("alt") if match.group("alt") else match.end("unit")),
        ),
        comparator=comparator,
        rank=(unit in _RANK_UNITS and (before.endswith("前") or ordinal)),
    )


def _plain_count(clause: str, match: re.Match[str], unit: str) -> bool:
    """A single Chinese numeral that counts: 翻一番, 增加一倍, or a count closing its clause (平台两个)."""
    if unit in {"番", "倍"}:
        return True
    position = match.end()
    while position < len(clause) and clause[position].isspace():
        position += 1
    return unit not in _VAGUE_UNITS and position == len(clause)


def _magnitude_in_unit(token: str, value: Number, unit: str, unit_start: int) -> tuple[Number, str, int]:
    """A Chinese numeral ending in 万 or 亿 before its unit states it in that unit, as Arabic figures do.

    一亿五千万元 is 15000 万元 (like 15000万元), 两万人 is 2 万人; the magnitude joins the unit.
    """
    magnitude = token[-1:]
    if magnitude in {"万", "亿"} and len(token) > 1 and magnitude + unit in UNITS:
        scale = 10_000 if magnitude == "万" else 100_000_000
        scaled = value / scale
        return (int(scaled) if float(scaled).is_integer() else scaled), magnitude + unit, unit_start - 1
    return value, unit, unit_start


def _is_single_chinese(token: str) -> bool:
    """One Chinese numeral character (五, 两, 百): in plans it names things far more than it sets targets."""
    return len(token) == 1 and token in _SINGLE_CHINESE


def _pre_word(before: str) -> str:
    """The qualifier word standing right before the number, if any."""
    match = _PRE_QUALIFIER.search(before)
    return match.group() if match else ""


def _pre_comparator(word: str) -> str:
    """Comparator given by the qualifier word right before the number (达到 → ≥, 不超过 → ≤, 约 → ≈)."""
    return PRE_QUALIFIERS.get(word.strip(), "")


def _comparator(before: str, pre: str, post: str, value_max: Number | None, ordinal: bool) -> str:
    """Combine the qualifiers around a number into one comparator (力争, 确保 change nothing)."""
    if value_max is not None:
        return "range"
    if post in {"左右", "上下"} or pre == "approx":
        return "approx"
    if post:
        return _POST_COMPARATOR[post]
    if pre:
        return pre
    if ordinal:
        return "="
    if _AT_LEAST_ANYWHERE.search(before):
        return ">="
    if _AT_MOST_ANYWHERE.search(before):
        return "<="
    return "="


def _index_scores(clause: str, offset: int) -> list[_Quantity]:
    """Unitless scores after 指数 / 得分 (区域科技创新指数达到160以上)."""
    found = []
    subject = _INDEX_SUBJECT.search(clause)
    for match in _UNITLESS.finditer(clause, subject.end() if subject else 0):
        follower = clause[match.end("num") : match.end("num") + 1]
        if follower in {"年", "月", "日", "号", "+"}:
            continue
        value = parse_number(match.group("num"))
        if value is None:
            continue
        before = clause[max(0, match.start() - _QUALIFIER_REACH) : match.start()]
        pre_word = _pre_word(before)
        post = match.group("post") or ""
        found.append(
            _Quantity(
                start=offset + match.start() - len(pre_word),
                num_start=offset + match.start(),
                end=offset + match.end(),
                value=value,
                value_max=None,
                unit="",
                unit_span=(offset + match.end("num"), offset + match.end("num")),
                comparator=_comparator(before, _pre_comparator(pre_word), post, None, False),
            )
        )
    return found


def _text_bounds(clause: str, offset: int, quantities: list[_Quantity]) -> list[tuple[int, int]]:
    """Where each target's text starts and ends within its clause.

    The first target starts where the clause starts, after lead-in words (力争, 到2025年)
    and a scene-setting phrase that ends in an enumeration (围绕激光雷达、遥感等产业…);
    each later one starts after the separator (、 和 及 其中 …) that follows the
    previous target, or right after it when there is none. The last one runs to the end of
    the clause, so a counted noun after the number stays in the text (引育15家以上企业研发中心).
    """
    lead = _LEAD_IN.match(clause)
    first = lead.end() if lead else 0
    setting = _SETTING.match(clause, first)
    if setting and offset + setting.end() <= quantities[0].start:
        first = setting.end()
    starts = [min(offset + first, quantities[0].start)]
    ends = []
    for current, following in zip(quantities, quantities[1:], strict=False):
        gap = clause[current.end - offset : following.start - offset]
        separator = _LIST_SEPARATOR.search(gap) or _JOIN_SEPARATOR.search(gap)
        if separator:
            ends.append(current.end + separator.start())
            starts.append(current.end + separator.end())
        else:
            ends.append(current.end)
            starts.append(current.end)
    ends.append(offset + len(clause.rstrip()))
    return [_balanced(clause, offset, start, end) for start, end in zip(starts, ends, strict=True)]


def _balanced(clause: str, offset: int, start: int, end: int) -> tuple[int, int]:
    """Trim a bracket left open or closed at either edge of a text span ("(时间:半年1次)" → 半年1次)."""
    text = clause[start - offset : end - offset]
    opened = text.count("(") + text.count("（")
    closed = text.count(")") + text.count("）")
    low, high = 0, len(text)
    while high > low and text[high - 1] in ")）" and opened < closed:
        high, closed = high - 1, closed - 1
    while high > low and text[low] in "(（" and opened > closed:
        low, opened = low + 1, opened - 1
    return start + low, start + high


def _name(
    source: Source, text_start: int, text_end: int, quantity: _Quantity, context: str, previous: str
) -> str:
    """What is measured: the target's words without number, unit and qualifiers.

    A clause that only names a measure of the previous target (…投入达到35亿元，增幅达到59%)
    takes that target's subject; a frequency given only as a period (半年1次) takes the
    task's title, keeping the period.
    """
    head = source.clean_span(text_start, max(text_start, quantity.start))
    tail = source.clean_span(quantity.end, text_end) if text_end > quantity.end else ""
    tail = tail.lstrip("的")
    name = _NAME_EDGE.sub("", (head.strip() + tail.strip()).strip())
    if "累计" in name:
        name = name.replace("累计", "", 1) + "(累计)"  # cumulative over the period, as the ledger labels it
    if previous and _MEASURE_ONLY.fullmatch(name):
        name = _NAME_EDGE.sub("", _TRAILING_MEASURE.sub("", previous)) + name
    elif _PERIOD_ONLY.match(name) and context:
        name = f"{context}({name})"
    return (name or source.clean_span(text_start, text_end).strip())[:_MAX_NAME]


def _milestone_name(name: str, earlier: str) -> str:
    """A milestone that names only its period (一、二、三、四季度分别完成) measures the target before it."""
    if earlier and _MILESTONE_ONLY.fullmatch(name):
        return f"{earlier}({name})"
    return name


def _kind(name: str, quantity: _Quantity) -> str:
    """Classify a target by its unit and the words of its name."""
    if quantity.unit in MONEY_UNITS or quantity.unit in _MEASURE_UNITS:
        return "amount"  # money, and quantities measured rather than counted (1.4万亩)
    if quantity.rank:
        return "rank"
    if quantity.unit in {"", "分"}:
        return "index"
    if quantity.unit in PERCENT_UNITS:
        if _RATIO_WORDS.search(name):
            return "ratio"
        return "growth_rate" if _GROWTH_WORDS.search(name) or quantity.unit in {"倍", "番"} else "ratio"
    if _DENSITY.search(name):
        return "ratio"
    return "count"


def _qualitative(source: Source, clause: str, offset: int) -> list[dict]:
    """An explicit goal with no number (实现零的突破, 获得省部级以上表彰), kept but not measured."""
    match = _QUALITATIVE.search(clause)
    if not match:
        return []
    lead = _LEAD_IN.match(clause)
    start = offset + (lead.end() if lead else 0)
    text = source.original_span(start, offset + len(clause.rstrip())).strip()
    return [
        {
            "text": text,
            "name": source.clean_span(start, offset + len(clause.rstrip())).strip()[:_MAX_NAME],
            "value": None,
            "value_max": None,
            "unit": "",
            "comparator": None,
            "kind": "qualitative",
        }
    ]
