"""Figures stated in the narrative ("答复 805 件", "占 33.9%", "未发生行政复议"), read with
confidence or not at all, and mapped to the table cells they state.

The reading is deliberately narrow: a number is attributed only when a known word (收到, 答复,
行政复议 …) stands right before it with nothing but filler between (共, 政府信息公开申请 …), or
right after it for words that allow it (103 件顺延到下年度). Approximate numbers (余, 约), words
joined to another subject (行政复议和行政诉讼共 5 件), and anything said about another year
(2023年 …, 较上年 …) are left alone: better silent than wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .sentences import Span, normalize, paragraphs, sentence_at, sentences
from .tables import CellRef


@dataclass(frozen=True)
class Figure:
    """A figure the narrative may state, the words that name it and the cells it equals."""

    id: str
    name: str  # how messages name the table figure, e.g. 表三（七）总计
    domain: str
    words: tuple[str, ...]
    cells: tuple[CellRef, ...]
    with_carried: tuple[CellRef, ...] = ()  # the cells when the text says 含上年结转
    needs_domain: bool = False  # a generic word (收到, 答复): only where the topic is this domain
    after: bool = False  # the word may also follow the number: 103 件顺延到下年度
    zero_nouns: tuple[str, ...] = ()  # 未收到/未发生 + one of these: the figure is 0
    bases: tuple[tuple[str, tuple[CellRef, ...]], ...] = ()  # (name, cells): what a 占 X% is of


ClaimKind = Literal["figure", "percent", "zero"]


@dataclass(frozen=True)
class Claim:
    """One statement of the text about the tables."""

    kind: ClaimKind
    figure: Figure
    cells: tuple[CellRef, ...]  # the text says these add up to `stated`
    stated: int
    sentence: Span
    phrase: Span
    percent: Decimal | None = None  # for `percent`: the stated share of `stated` in a base
    bases: tuple[tuple[str, tuple[CellRef, ...]], ...] = ()


_FILLER = re.compile(
    r"(?:\s|共计|合计|总计|累计|共|计|总数|数量|件数|为|达到|达|了|各类|政府信息|申请|案件|的|已|均|依法)*"
)
_LEAD = re.compile(r"(?:\s|其中|另有|另|有|共有|尚有|还有|共|已)*")
_TRAIL = re.compile(r"(?:\s|申请|已|均|被|依法)*")
_CLAUSE_END = "，,；;。！？!?：:（）()\n"
_CONJ = re.compile(r"(?:、|和|及|与|或|以及|或者|并)\s*$")
_VERB = re.compile(r"(?:提起|被申请|申请|被提起|被|引发|发生|涉及|收到|受理)\s*$")
_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?![\d.])\s*(余|多)?\s*(件|起|宗)(?!次)")
_APPROX_BEFORE = re.compile(r"(?:约|近|超过|逾|大约|将近)\s*$")
_APPROX_AFTER = re.compile(r"\s*(?:左右|以上|以下|之多)")
_INCLUDING = re.compile(r"\s*[（(，,]?\s*(?:其中|含|包含|包括)\s*(?:上年度?|上一年度?)(?:结转|转入)")
_PERCENT = re.compile(r"\s*[，,（(]?\s*占\s*[^\d\s，,。；;（）()%]{0,12}?\s*(?:为|是)?\s*(\d+(?:\.\d+)?)\s*%")
_ZERO_TAIL = re.compile(r"(?:的)?(?:情况|案件|事项|问题|现象)?\s*$")
_YEAR = re.compile(r"(\d{4})\s*年(?!度?结转)")
_LAST_YEAR = re.compile(r"(?:上一?年度?|去年)(?!度?(?:结转|转入|末|底))")
_THIS_YEAR = re.compile(r"本年度?|今年")
_COMPARE_BEFORE = re.compile(r"(?:较|比|与|同|相比|对比|超过|截至|截止|至|到|于|从|自)\s*$")
_RANGE_AFTER = re.compile(r"\s*(?:以来|以前|之前|前|底|末|同期)")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str
    kind: Literal["figure", "domain", "negation"]


class FigureReader:
    """Reads the figure claims of a text with one vocabulary (a TXT-NUM rule's)."""

    def __init__(self, figures: tuple[Figure, ...], domains: dict[str, tuple[str, ...]], negations: tuple[str, ...]):
        self.figures = figures
        self.by_word: dict[str, list[Figure]] = {}
        for fig in figures:
            for word in fig.words:
                self.by_word.setdefault(word, []).append(fig)
        self.domain_of_word = {w: d for d, words in domains.items() for w in words}
        self.negations = negations
        kinds: dict[str, Literal["figure", "domain", "negation"]] = {}
        for word in self.domain_of_word:
            kinds[word] = "domain"
        for word in self.by_word:
            kinds[word] = "figure"
        for word in negations:
            kinds[word] = "negation"
        self.kind_of_word = kinds
        words = sorted(kinds, key=len, reverse=True)
        self.token_re = re.compile("|".join(re.escape(w) for w in words)) if words else None
        self.zero_nouns = sorted(
            ((noun, fig) for fig in figures for noun in fig.zero_nouns), key=lambda nf: len(nf[0]), reverse=True
        )
        self._cache: dict[tuple[str, int], tuple[Claim, ...]] = {}

    # --- evidence ---------------------------------------------------------------------------

    def _evidence(self, token: _Token) -> str | None:
        """The domain a token shows the text is talking about, if it shows one."""
        if token.kind == "domain":
            return self.domain_of_word[token.word]
        if token.kind == "figure":
            figs = self.by_word[token.word]
            domains = {f.domain for f in figs}
            if len(domains) == 1 and not any(f.needs_domain for f in figs):
                return figs[0].domain
        return None

    def claims(self, text: str, year: int) -> tuple[Claim, ...]:
        """Every claim the text makes that can be attributed with confidence (cached per text)."""
        key = (text, year)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) > 64:
                self._cache.clear()
            found = self._cache[key] = tuple(self._read(normalize(text), year))
        return found

    def _read(self, text: str, year: int) -> list[Claim]:
        out: list[Claim] = []
        if self.token_re is None:
            return out
        for para in paragraphs(text):
            spans = sentences(text, para)
            if not spans:
                continue
            tokens = [
                _Token(m.start(), m.end(), m.group(), self.kind_of_word[m.group()])
                for m in self.token_re.finditer(text, para.start, para.end)
            ]
            context = _PeriodContext(text, para, year)
            for m in _NUMBER.finditer(text, para.start, para.end):
                if (
                    m.group(2)
                    or _APPROX_BEFORE.search(text, para.start, m.start())
                    or _APPROX_AFTER.match(text, m.end())
                ):
                    continue
                if not context.is_this_year(m.start()):
                    continue
                claim = self._figure_claim(text, tokens, m, spans)
                if claim is not None:
                    out.append(claim)
                    share = self._percent_claim(text, claim, m.end(), spans)
                    if share is not None:
                        out.append(share)
            for tok in tokens:
                if tok.kind == "negation" and context.is_this_year(tok.start):
                    out.extend(self._zero_claims(text, tok, para, spans))
        return out

    # --- numbers ----------------------------------------------------------------------------

    def _figure_claim(self, text: str, tokens: list[_Token], m: re.Match[str], spans: list[Span]) -> Claim | None:
        start, end = m.start(), m.end()
        word, phrase_start = self._word_before(text, tokens, start)
        if word is None:
            word, phrase_end = self._word_after(text, tokens, start, end)
            if word is None:
                return None
            phrase = Span(start, phrase_end)
        else:
            phrase = Span(phrase_start, end)
        fig = self._figure_for(word, tokens, start)
        if fig is None:
            return None
        cells = fig.cells
        if fig.with_carried and _INCLUDING.match(text, end):
            cells = fig.with_carried
        stated = int(m.group(1).replace(",", ""))
        return Claim("figure", fig, cells, stated, sentence_at(spans, start), phrase)

    def _word_before(self, text: str, tokens: list[_Token], start: int) -> tuple[_Token | None, int]:
        """The figure word the number follows (through filler and domain words), if any."""
        pos = start
        for tok in reversed(tokens):
            if tok.end > pos:
                continue
            if not _FILLER.fullmatch(text, tok.end, pos):
                return None, 0
            if tok.kind == "domain":
                pos = tok.start
                continue
            if tok.kind != "figure" or self._coordinated(text, tok):
                return None, 0
            return tok, tok.start
        return None, 0

    def _word_after(self, text: str, tokens: list[_Token], start: int, end: int) -> tuple[_Token | None, int]:
        """A figure word right after the number (`103 件顺延到下年度`), the number leading its clause."""
        clause_start = start
        while clause_start > 0 and text[clause_start - 1] not in _CLAUSE_END:
            clause_start -= 1
        if not _LEAD.fullmatch(text, clause_start, start):
            return None, 0
        pos = _TRAIL.match(text, end)
        after = pos.end() if pos else end
        for tok in tokens:
            if tok.start == after and tok.kind == "figure" and any(f.after for f in self.by_word[tok.word]):
                return tok, tok.end
        return None, 0

    def _coordinated(self, text: str, tok: _Token) -> bool:
        """`行政复议和行政诉讼共 5 件`: the word shares its number with a subject before it."""
        clause_start = tok.start
        while clause_start > 0 and text[clause_start - 1] not in _CLAUSE_END:
            clause_start -= 1
        before = text[clause_start : tok.start]
        stripped = before
        while True:
            verb = _VERB.search(stripped)
            if verb is None or verb.start() == len(stripped):
                break
            stripped = stripped[: verb.start()]
        conj = _CONJ.search(stripped)
        if conj is None:
            return False
        head = stripped[: conj.start()]
        last_number = max((m.end() for m in _NUMBER.finditer(head)), default=-1)
        return last_number < 0 or bool(head[last_number:].strip())

    def _figure_for(self, word: _Token, tokens: list[_Token], pos: int) -> Figure | None:
        """The figure a word names here: by itself, or by the domain the paragraph is about."""
        figs = self.by_word[word.word]
        if len(figs) == 1 and not figs[0].needs_domain:
            return figs[0]
        domain = None
        for tok in tokens:
            if tok.start >= pos:
                break
            if tok is not word:
                domain = self._evidence(tok) or domain
        for fig in figs:
            if fig.domain == domain:
                return fig
        return None

    def _percent_claim(self, text: str, claim: Claim, end: int, spans: list[Span]) -> Claim | None:
        m = _PERCENT.match(text, end)
        if m is None or not claim.figure.bases:
            return None
        bases = claim.figure.bases
        return Claim(
            "percent",
            claim.figure,
            claim.cells,
            claim.stated,
            claim.sentence,
            Span(claim.phrase.start, m.end()),
            Decimal(m.group(1)),
            bases,
        )

    # --- 未收到 / 未发生 --------------------------------------------------------------------

    def _zero_claims(self, text: str, tok: _Token, para: Span, spans: list[Span]) -> list[Claim]:
        end = tok.end
        while end < para.end and text[end] not in _CLAUSE_END:
            end += 1
        tail = text[tok.end : end]
        rest = tail[: _ZERO_TAIL.search(tail).start()]  # type: ignore[union-attr]
        found: list[Figure] = []
        while rest:
            for noun, fig in self.zero_nouns:
                if rest.endswith(noun):
                    rest = rest[: -len(noun)]
                    if fig not in found:
                        found.append(fig)
                    break
            else:
                break
            while (verb := _VERB.search(rest)) is not None and verb.start() < len(rest):
                rest = rest[: verb.start()]
            conj = _CONJ.search(rest)
            if conj is None:
                break
            rest = rest[: conj.start()]
        if any(ch.isdigit() for ch in tail):
            return []
        phrase = Span(tok.start, end)
        sentence = sentence_at(spans, tok.start)
        return [Claim("zero", fig, fig.cells, 0, sentence, phrase) for fig in found]


class _PeriodContext:
    """Which year a paragraph is talking about at each position: this one, or another."""

    def __init__(self, text: str, para: Span, year: int) -> None:
        self.marks: list[tuple[int, bool]] = []  # (position, talking about this year from here on)
        self.taints: list[tuple[int, int]] = []  # (from, to): a comparison with another year
        for m in _YEAR.finditer(text, para.start, para.end):
            self._mark(text, para, m.start(), m.end(), int(m.group(1)) == year)
        for m in _LAST_YEAR.finditer(text, para.start, para.end):
            self._mark(text, para, m.start(), m.end(), False)
        for m in _THIS_YEAR.finditer(text, para.start, para.end):
            self.marks.append((m.start(), True))
        self.marks.sort()

    def _mark(self, text: str, para: Span, start: int, end: int, this_year: bool) -> None:
        if _COMPARE_BEFORE.search(text, para.start, start) or _RANGE_AFTER.match(text, end):
            if not this_year:
                clause_end = end
                while clause_end < para.end and text[clause_end] not in _CLAUSE_END:
                    clause_end += 1
                self.taints.append((start, clause_end))
            return
        self.marks.append((start, this_year))

    def is_this_year(self, pos: int) -> bool:
        current = True
        for mark_pos, this_year in self.marks:
            if mark_pos >= pos:
                break
            current = this_year
        return current and not any(lo <= pos < hi for lo, hi in self.taints)
