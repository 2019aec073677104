"""Organisation and year of a published report, and the portal furniture around it.

The title is `<机关><年>年(度)政府信息公开工作年度报告`, or the year first, or without the
organisation; then the organisation is in the portal's metadata (发布机构：…) or in the
preamble (现公布…、特编制…、本报告由…编制). Navigation, breadcrumbs, metadata and footers
(版权所有, 主办单位, 网站标识码, ICP 备案号, 打印本页, 关闭窗口 …) are recognised so that they
stay out of the preamble and part 六.
"""

from __future__ import annotations

import re

_T = r"(?:政府信息公开(?:工作)?年度报告|(?<=年度)政府信息公开(?:工作|(?:工作)?情况的?)报告)"
"""The report's name: …政府信息公开工作年度报告, or after a year …2020年度政府信息公开工作报告 /
关于2022年度政府信息公开（工作）情况的报告."""
_YEAR = r"(?:19|20)\d{2}"
_TITLE_PATTERNS = (
    re.compile(rf"^(?P<org>){_T}$"),
    re.compile(rf"^(?P<org>.+?)(?P<year>{_YEAR})年度?{_T}$"),
    re.compile(rf"^(?P<year>{_YEAR})年度?(?P<org>.*?){_T}$"),
    re.compile(rf"^(?P<org>.+?){_T}[(（](?P<year>{_YEAR})年度?[)）]$"),
    re.compile(rf"^(?P<org>.+?){_T}$"),
)
_IN_TEXT = re.compile(_T + r"(?!格式)")  # not 《中华人民共和国政府信息公开工作年度报告格式》
_DELIMITERS = re.compile(r"[，,。；;：:、》《“”\"'>›»|｜【】\[\]（）()]")
_VERB = re.compile(r"^.*(?:公布|编制|发布|形成|撰写|编写|印发|制作|报送)(?:了|完成|出|好)?")
_GENERIC = re.compile(r"^(?:本|我)(?:机关|单位|部门|局|委|办|市|县|区|镇|乡|院|厅|府)?$")
_BAD_ORG = re.compile(r"[:：;；,，。、！？!?“”\"《》<>\[\]【】›»|｜/\\…]")
_SPACES = re.compile(r"[\s\u3000\xa0]+")
_PAGE_PREFIX = re.compile(r"^(?:page|第)\d{1,3}页?[-–—:：]", re.IGNORECASE)  # a flipbook page: Page 8 - <title>
_LEADING_WORDS = re.compile(r"^关于")

_META_KEYS = (
    "索引号|发布机构|发布单位|发布日期|发布时间|发文日期|成文日期|生成日期|公开日期|主题分类|体裁分类|组配分类|"
    "服务对象|公开方式|公开范围|公开时限|公开形式|公开主体|发布主体|信息来源|来源|发文字号|文号|发文机关|发文单位|"
    "有效性|时效性|关键词|主题词|信息名称|名称|标题|分类|作者|责任部门|浏览量|点击数|字号"
)
_META = re.compile(rf"(?:^|[\s|｜])(?:{_META_KEYS})\s*[:：]")
_META_ORG = re.compile(
    rf"(?P<key>发布机构|发布单位|发文机关|发文单位|公开主体|发布主体|信息来源|来源)\s*[:：]?\s*(?P<org>.+?)(?=\s|$|(?:{_META_KEYS})\s*[:：])"
)
_META_ORDER = ("发布机构", "发布单位", "发文机关", "发文单位", "公开主体", "发布主体", "信息来源", "来源")
_COMPILED_BY = re.compile(r"本报告(?:是)?由(?P<org>[^，,。；;]{2,40}?)(?:根据|依据|依照|按照|遵照|负责|编制)")
_WORK_OF = re.compile(
    rf"结合(?P<year>{_YEAR})年度?(?P<org>[^，,。；;、（）()《》]{{2,40}}?)(?:的)?政府信息公开(?:工作)?(?:实际|情况)"
)
_PERIOD = re.compile(rf"统计(?:期限|时限|时间|期间|区间)\D{{0,6}}(?P<year>{_YEAR})\s*年\s*0?1\s*月\s*0?1\s*日")

_FURNITURE = re.compile(
    r"版权所有|copyright|©|主办单位|承办单位|协办单位|技术支持|网站标识码|icp\s*备|icp\s*证|公网安备|网站地图|"
    r"打印本页|关闭窗口|关闭本页|[【\[]\s*(?:打印|关闭|收藏|返回)\s*[】\]]|上一篇|下一篇|相关链接|相关文章|相关阅读|"
    r"相关信息|扫一扫|分享到|浏览次数|访问次数|阅读次数|当前位置|您现在的位置|您的位置|字号\s*[:：]\s*[大中小]|"
    r"[【\[]\s*字体|字体\s*[:：]\s*[大中小]|收藏本页|设为首页|加入收藏|返回顶部",
    re.IGNORECASE,
)
_NAV_WORDS = re.compile(
    r"^(?:(?:网站)?首页|返回首页|无障碍|长者模式|关怀版|适老化|English|繁體|简体|登录|注册|搜索|政务公开|信息公开|"
    r"政府信息公开|互动交流|政务服务|办事服务|新闻中心|走进\S{1,6}|打印|关闭|分享|微信|微博|手机版|联系我们|"
    r"网站声明|隐私声明|使用帮助|站点地图)$"
)
_NAV_SPLIT = re.compile(r"\s*[|｜/>›»、·]\s*|\s+")


def compact(text: str) -> str:
    return _SPACES.sub("", text)


def _valid_org(org: str) -> str | None:
    org = org.strip("《》“”\"' ")
    org = re.sub(r"关于$", "", org)
    org = re.sub(r"^(?:现将|现予|现|特|关于)", "", org)
    if not 2 <= len(org) <= 40 or _BAD_ORG.search(org) or _GENERIC.match(org) or org[0].isdigit():
        return None
    if org in ("中华人民共和国", "国务院办公厅", "政府信息公开"):
        return None
    return org


def parse_title(text: str) -> tuple[str | None, int | None] | None:
    """(organisation or None, year or None) when the whole text is a report's title."""
    s = _PAGE_PREFIX.sub("", compact(text)).strip('《》“”"')
    if not _IN_TEXT.search(s) or len(s) > 70:
        return None
    for pattern in _TITLE_PATTERNS:
        m = pattern.match(s)
        if m:
            named = _LEADING_WORDS.sub("", m.group("org"))  # 关于2022年度…的报告 names no organisation
            org = _valid_org(named) if named else None
            if org is None and named:
                continue  # 首页>…>某局2023年…, “关于印发…的通知”: a title inside other text
            year = int(m.group("year")) if "year" in pattern.groupindex and m.group("year") else None
            return org, year
    return None


def title_in_text(text: str) -> tuple[str | None, int | None] | None:
    """(organisation, year) of a report title named inside a longer line (现公布…、特编制…、面包屑)."""
    s = compact(text)
    for m in _IN_TEXT.finditer(s):
        before = s[: m.start()]
        cut = max((d.end() for d in _DELIMITERS.finditer(before)), default=0)
        before = _VERB.sub("", before[cut:])
        year_at_end = re.search(rf"({_YEAR})年度?$", before)
        year_first = re.match(rf"^({_YEAR})年度?", before)
        if year_at_end:
            return _valid_org(before[: year_at_end.start()]), int(year_at_end.group(1))
        if year_first:
            return _valid_org(before[year_first.end() :]), int(year_first.group(1))
    return None  # without a year it may be any mention of “the annual report”


def metadata_org(text: str) -> tuple[int, str] | None:
    """(rank, organisation) from portal metadata such as 发布机构：某区统计局 (lower rank wins)."""
    best: tuple[int, str] | None = None
    for m in _META_ORG.finditer(text.strip()):
        org = _valid_org(m.group("org"))
        if org is None:
            continue
        rank = _META_ORDER.index(m.group("key"))
        if best is None or rank < best[0]:
            best = (rank, org)
    return best


def compiled_by(text: str) -> str | None:
    """The office named in 本报告由…编制."""
    m = _COMPILED_BY.search(compact(text))
    return _valid_org(m.group("org")) if m else None


def work_of(text: str) -> tuple[str | None, int | None]:
    """(office, year) of 结合2025年某市信访局政府信息公开工作实际 (a preamble many portals use)."""
    m = _WORK_OF.search(compact(text))
    return (_valid_org(m.group("org")), int(m.group("year"))) if m else (None, None)


def period_year(text: str) -> int | None:
    """The year of 统计期限自2023年1月1日…."""
    m = _PERIOD.search(compact(text))
    return int(m.group("year")) if m else None


def is_metadata(text: str) -> bool:
    return len(text) <= 300 and bool(_META.search(text))


def is_furniture(text: str) -> bool:
    """Navigation, breadcrumbs and footer lines of a portal page (never a sentence of the report)."""
    t = text.strip()
    if not t or len(t) > 300 or t.endswith(("。", "；")):
        return False
    if _FURNITURE.search(t):
        return True
    words = [w for w in _NAV_SPLIT.split(t) if w]
    return bool(words) and len(t) <= 80 and all(_NAV_WORDS.match(w) for w in words)
