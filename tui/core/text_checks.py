"""Evaluators of the text rule kinds: what the narrative says, against the tables, the format,
the report's year and organisation, and last year's report."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from .findings import Finding
from .rules import (
    FiguresCheck,
    PartsListCheck,
    Rule,
    SlotsCheck,
    TextCheck,
    TextSimilarParams,
    TextSubstanceParams,
    number,
)
from .sentences import SENTENCE_END, Span, find_all, normalize, sentence_at, sentences, small_number
from .tables import CellRef
from .values import Invalid

if TYPE_CHECKING:
    from .report import Report


def _finding(rule: Rule, c: TextCheck, message: str, cells: tuple[CellRef, ...] = ()) -> Finding:
    """A finding about a whole text."""
    return Finding(rule.id, rule.severity, message, c.part, location=c.heading, cells=cells, group=c.group, text=c.text)


def _sentence_finding(
    rule: Rule, c: TextCheck, message: str, source: str, span: Span, cells: tuple[CellRef, ...] = ()
) -> Finding:
    """A finding about one sentence of a text: its offsets and its words."""
    return Finding(
        rule.id,
        rule.severity,
        message,
        c.part,
        location=c.heading,
        cells=cells,
        group=f"{c.group}:{span.start}",
        text=c.text,
        start=span.start,
        end=span.end,
        quote=source[span.start : span.end],
    )


# --- simple text kinds -----------------------------------------------------------------------


def text_required(rule: Rule, c: TextCheck, report: Report) -> Sequence[Finding]:
    """A part's text is not empty (at least `min_chars` characters)."""
    if len(report.text(c.text).strip()) >= rule.params.min_chars:
        return ()
    return (_finding(rule, c, rule.say(heading=c.heading)),)


def text_mentions(rule: Rule, c: TextCheck, report: Report) -> Sequence[Finding]:
    """A part's text mentions at least one of the given words."""
    words = rule.params.any
    if any(word in report.text(c.text) for word in words):
        return ()
    return (_finding(rule, c, rule.say(heading=c.heading, words="、".join(words))),)


def text_forbidden(rule: Rule, c: TextCheck, report: Report) -> Sequence[Finding]:
    """No text (of the given part, or any) contains one of the words; the first is marked."""
    text = report.text(c.text)
    words = rule.params.any
    hits = [i for i in (text.find(w) for w in words) if i >= 0]
    if not hits:
        return ()
    spans = sentences(text)
    message = rule.say(heading=c.heading, words="、".join(words))
    return (_sentence_finding(rule, c, message, text, sentence_at(spans, min(hits))),)


def text_max_length(rule: Rule, c: TextCheck, report: Report) -> Sequence[Finding]:
    """A part is not longer than `max_chars` characters (blanks not counted)."""
    count = len(re.sub(r"\s", "", report.text(c.text)))
    if count <= rule.params.max_chars:
        return ()
    return (_finding(rule, c, rule.say(heading=c.heading, count=count, max=rule.params.max_chars)),)


def text_states_figure(rule: Rule, c: TextCheck, report: Report) -> Sequence[Finding]:
    """A part states a count of something (`政策解读 21 个`): one of the words, then a number."""
    p = rule.params
    pattern = _states_pattern(p.words, p.units)
    if pattern.search(normalize(report.text(c.text))):
        return ()
    return (_finding(rule, c, rule.say(heading=c.heading, words="、".join(p.words))),)


@lru_cache(maxsize=64)
def _states_pattern(words: tuple[str, ...], units: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in words)
    unit_alt = "|".join(re.escape(u) for u in units)
    return re.compile(f"(?:{alternatives})[^{SENTENCE_END}\n]{{0,12}}?\\d+\\s*(?:{unit_alt})")


# --- TXT-NUM -------------------------------------------------------------------------------


def _table_sum(report: Report, cells: tuple[CellRef, ...]) -> int | Decimal | None:
    total: int | Decimal = 0
    for ref in cells:
        value = report.cells.get(ref)
        if value is None or isinstance(value, Invalid):
            return None  # unknown: the text cannot be compared with it
        total += value
    return total


def _share_fits(stated: int, percent: Decimal, base: int | Decimal) -> bool:
    exponent = percent.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    exact = Decimal(stated) * 100 / Decimal(base)
    return abs(exact - percent) <= Decimal(1).scaleb(-decimals)  # rounded or cut off


def text_figures(rule: Rule, c: FiguresCheck, report: Report) -> Sequence[Finding]:
    """Figures the narrative states equal the tables (TXT-NUM)."""
    text = report.text(c.text)
    if not text:
        return ()
    out: list[Finding] = []
    for claim in c.reader.claims(text, report.year):
        phrase = text[claim.phrase.start : claim.phrase.end]
        if claim.kind == "percent":
            assert claim.percent is not None
            usable = [(name, v) for name, cells in claim.bases if (v := _table_sum(report, cells))]
            if not usable or any(_share_fits(claim.stated, claim.percent, v) for _n, v in usable):
                continue
            name, base = usable[0]
            exponent = claim.percent.as_tuple().exponent
            places = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
            expected = (Decimal(claim.stated) * 100 / Decimal(base)).quantize(places)
            message = rule.say(
                "percent_message", where=c.name, phrase=phrase, base_name=name, base=number(base), expected=expected
            )
            cells = tuple(dict.fromkeys(ref for _n, cs in claim.bases for ref in cs))
            out.append(_sentence_finding(rule, c, message, text, claim.sentence, cells))
            continue
        value = _table_sum(report, claim.cells)
        if value is None or value == claim.stated:
            continue
        template = "zero_message" if claim.kind == "zero" else "message"
        message = rule.say(
            template, where=c.name, phrase=phrase, name=claim.name, value=number(value), stated=claim.stated
        )
        out.append(_sentence_finding(rule, c, message, text, claim.sentence, claim.cells))
    return out


# --- FMT-PARTS -----------------------------------------------------------------------------


def _first_of(text: str, words: tuple[str, ...]) -> int:
    """Where the first of `words` appears in `text`, or -1."""
    return min((i for w in words if (i := text.find(w)) >= 0), default=-1)


_LISTING = re.compile(r"组成|构成|包括|分为|共分")
_PART_COUNT = re.compile(r"([0-9]+|[一二两三四五六七八九十]+)\s*(?:个|大)?\s*部分")


def parts_listed(rule: Rule, c: PartsListCheck, report: Report) -> Sequence[Finding]:
    """Where the preamble says what the report consists of (本报告由……等六部分组成, 本报告包括……),
    the count, the parts and their order are the format's."""
    text = report.text(c.text)
    out: list[Finding] = []
    for span in sentences(text):
        sentence = text[span.start : span.end]
        if not _LISTING.search(sentence) or not ("报告" in sentence or "全文" in sentence):
            continue
        count = _PART_COUNT.search(sentence)
        stated = small_number(count.group(1)) if count else None
        if count and stated is not None and stated != len(c.names):
            message = rule.say("count_message", where=c.name, phrase=count.group(), expected=len(c.names))
            out.append(_sentence_finding(rule, c, message, text, span))
            continue
        places = {pid: _first_of(sentence, words) for pid, _h, words in c.names}
        listed = [pid for pid, _h, _w in c.names if places[pid] >= 0]
        if len(listed) < (2 if count else 3):
            continue  # not a list of the report's parts
        missing = [heading for pid, heading, _w in c.names if places[pid] < 0]
        if missing:
            message = rule.say("missing_message", where=c.name, missing="、".join(missing))
            out.append(_sentence_finding(rule, c, message, text, span))
        elif [places[p] for p in listed] != sorted(places[p] for p in listed):
            message = rule.say("order_message", where=c.name, expected="、".join(h for _p, h, _w in c.names))
            out.append(_sentence_finding(rule, c, message, text, span))
    return out


# --- TXT-YEAR ------------------------------------------------------------------------------

_PERIOD = re.compile(
    r"(\d{4})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|—|－|-|~|～)+\s*(\d{4})\s*年\s*12\s*月\s*31\s*日"
)
_TITLE_TAIL = ("政府信息公开工作", "政府信息公开")
_TITLE_NOT_AFTER = ("编制", "发布", "工作", "的通知", "通知", "格式", "模板")
_TITLE_VERB = re.compile(r"^.*(?:现将|特将|现予|予以|现|公布|发布|编制|形成|撰写|本报告为|本报告是|这是|为)")
_NAME_STOP = ' \t\n，,。；;：:、《》“”"（）()'
_LEAD_YEAR = re.compile(r"(\d{4})\s*年度?\s*(?=[，,]|全年|我|本|全|共|上半年|下半年)")


def _titles(text: str) -> list[tuple[int, int, str, int]]:
    """Report titles in a text (`某县民政局2023年政府信息公开工作年度报告`): (start, end, organisation, year)."""
    out = []
    for i in find_all(text, "年度报告"):
        end = i + 4
        if text.startswith(_TITLE_NOT_AFTER, end):
            continue  # 年度报告编制发布工作: a notice about the reports
        head = text[max(0, i - 60) : i]
        tail = next((t for t in _TITLE_TAIL if head.endswith(t)), None)
        if tail is None:
            continue
        pos = i - len(tail)
        if text[pos - 1 : pos] == "度":
            pos -= 1
        if text[pos - 1 : pos] != "年":
            continue
        pos -= 1
        while pos > 0 and text[pos - 1] == " ":
            pos -= 1
        digits_end = pos
        while pos > 0 and text[pos - 1].isdigit():
            pos -= 1
        if digits_end - pos != 4:
            continue
        year = int(text[pos:digits_end])
        start = pos
        while start > 0 and pos - start < 40 and text[start - 1] not in _NAME_STOP:
            start -= 1
        prefix = text[start:pos]
        if "关于" in prefix or "做好" in prefix:
            continue  # the title of a notice about the reports, not of this report
        org = _TITLE_VERB.sub("", prefix)
        out.append((pos - len(org), end, org, year))
    return out


def _is_own_name(name: str, org: str) -> bool:
    """Whether `name` (as the text writes it) can be the report's own organisation."""
    if not name or not org or name.startswith(("本", "我")):
        return True
    if name in org or org in name:
        return True
    place_name, place_org = _place(name), _place(org)
    # another city, county or province is another unit's report
    return not place_name or not place_org or place_name.startswith(place_org) or place_org.startswith(place_name)


_PLACE = re.compile(r"^(.+?(?:省|自治区|市|自治州|州|盟|县|旗|区|镇|乡|街道))")


def _place(name: str) -> str:
    m = _PLACE.match(name)
    return m.group(1) if m and len(m.group(1)) >= 2 else ""


def _lead_years(text: str) -> list[tuple[int, int]]:
    """Years that open a sentence (`2023年，我局…`): (where the sentence starts, the year)."""
    out = []
    for j in find_all(text, "年"):
        end = j
        while end > 0 and text[end - 1] == " ":
            end -= 1
        start = end - 4
        if start < 0 or not text[start:end].isdigit():
            continue
        before = start
        while before > 0 and text[before - 1] in " \t\u3000":
            before -= 1
        if before > 0 and text[before - 1] not in SENTENCE_END + "\n":
            continue
        if _LEAD_YEAR.match(text, start):
            out.append((start, int(text[start:end])))
    return out


def text_years(rule: Rule, c: TextCheck, report: Report) -> Sequence[Finding]:
    """The statistical period, titles and the years a text talks about are the report's (TXT-YEAR)."""
    source = report.text(c.text)
    if not source:
        return ()
    text = normalize(source)
    year = report.year
    found: list[tuple[int, str]] = []  # (where, message)
    if "31" in text:
        for m in _PERIOD.finditer(text):
            if int(m.group(1)) != year or int(m.group(2)) != year:
                message = rule.say("period_message", where=c.name, phrase=source[m.start() : m.end()], year=year)
                found.append((m.start(), message))
    for start, end, org, title_year in _titles(text) if c.text in rule.params.titles_in else ():
        if title_year != year or not _is_own_name(org, report.org):
            message = rule.say("title_message", where=c.name, phrase=source[start:end], title=report.title)
            found.append((start, message))
    for start, other in _lead_years(text):
        if other < year or other > year + 1:  # next year's plans (2025年，我局将…) are fine
            end = min(len(text), start + 13)
            phrase = source[start:end].split("\n")[0]
            message = rule.say("stray_message", where=c.name, phrase=phrase, year=year, other=other)
            found.append((start, message))
    if not found:
        return ()
    spans = sentences(text)
    return [_sentence_finding(rule, c, message, source, sentence_at(spans, where)) for where, message in found]


# --- TXT-COPY ------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _grams(text: str, n: int) -> frozenset[str]:
    flat = re.sub(r"\d+", "0", re.sub(r"\s+", "", normalize(text)))
    return frozenset(flat[i : i + n] for i in range(len(flat) - n + 1))


def copied_share(text: str, old: str, n: int = 3) -> float:
    """The share of `text`'s character n-grams found in `old` (numbers and blanks ignored)."""
    grams = _grams(text, n)
    if not grams:
        return 0.0
    return len(grams & _grams(old, n)) / len(grams)


def text_similar(rule: Rule, c: TextCheck, report: Report) -> Sequence[Finding]:
    """A text that is (nearly) last year's same text (TXT-COPY)."""
    last = report.previous
    if last is None:
        return ()
    p: TextSimilarParams = rule.params
    text, old = report.text(c.text), last.text(c.text)
    if len(text.strip()) < p.min_chars or len(old.strip()) < p.min_chars:
        return ()
    share = copied_share(text, old, p.ngram)
    if share < p.threshold:
        return ()
    return (_finding(rule, c, rule.say(heading=c.heading, percent=round(share * 100))),)


def org_names(rule: Rule, c: SlotsCheck, report: Report) -> Sequence[Finding]:
    """Where the text names the organisation (本报告由 X 编制, 请与 X 联系), it is the report's own."""
    source = report.text(c.text)
    if not source or not report.org:
        return ()
    spans: list[Span] = []
    out: list[Finding] = []
    for before, after in c.slots:
        if not any(word in source for word in before):
            continue
        for m in _slot_pattern(before, after).finditer(source):
            if not _is_own_name(m.group(1), report.org):
                message = rule.say(where=c.name, phrase=m.group(), org=report.org)
                spans = spans or sentences(source)
                out.append(_sentence_finding(rule, c, message, source, sentence_at(spans, m.start())))
    return out


@lru_cache(maxsize=64)
def _slot_pattern(before: tuple[str, ...], after: tuple[str, ...]) -> re.Pattern[str]:
    b = "|".join(re.escape(w) for w in before)
    a = "|".join(re.escape(w) for w in after)
    return re.compile(f'(?:{b})([^\\s，,。；;：:、《》“”"（）()]{{2,30}}?)(?:{a})')


# --- P5-SUBSTANCE --------------------------------------------------------------------------


def text_substance(rule: Rule, c: TextCheck, report: Report) -> Sequence[Finding]:
    """Part 五 names problems, measures and (when last year's report is known) their follow-up."""
    p: TextSubstanceParams = rule.params
    text = report.text(c.text)
    flat = re.sub(r"\s", "", text)
    if not flat:
        return ()  # an empty part is P5-NONEMPTY's finding
    core = flat.strip("。.！!；;，,")
    if core in p.empty:
        return (_finding(rule, c, rule.say("empty_message", heading=c.heading, text=core)),)
    if len(flat) < p.min_chars:
        return (_finding(rule, c, rule.say("short_message", heading=c.heading, count=len(flat))),)
    missing = []
    said: list[str] | None = None
    for aspect in p.aspects:
        if aspect.needs_previous and report.previous is None:
            continue
        if not any(w in text for w in aspect.any):
            missing.append(aspect.name)
        elif aspect.with_any:  # both in one sentence
            said = said if said is not None else [text[s.start : s.end] for s in sentences(text)]
            if not any(any(w in s for w in aspect.any) and any(w in s for w in aspect.with_any) for s in said):
                missing.append(aspect.name)
    if not missing:
        return ()
    return (_finding(rule, c, rule.say("missing_message", heading=c.heading, missing="、".join(missing))),)
