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
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .sentences import Span, find_all, normalize, paragraphs, sentence_at, sentences
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
    with_carried_name: str = ""  # how messages name that sum
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
    name: str  # how messages name what the text states (the figure, or the figure with 上年结转)
    cells: tuple[CellRef, ...]  # the text says these add up to `stated`
    stated: int
    sentence: Span
    phrase: Span
    percent: Decimal | None = None  # for `percent`: the stated share of `stated` in a base
    bases: tuple[tuple[str, tuple[CellRef, ...]], ...] = ()

    def shifted(self, by: int) -> Claim:
        """The same claim in a longer text, `by` characters further on."""
        sentence = Span(self.sentence.start + by, self.sentence.end + by)
        phrase = Span(self.phrase.start + by, self.phrase.end + by)
        return Claim(
            self.kind, self.figure, self.name, self.cells, self.stated, sentence, phrase, self.percent, self.bases
        )


_FILLER = re.compile(
    r"(?:\s|共计|合计|总计|累计|共|计|总数|数量|件数|为|达到|达|了|各类|政府信息|申请|案件|的|已|均|依法)*"
)
_WHOLE = re.compile(
    r"(?:\s|本年度?|全年|今年|年内|\d{4}\s*年度?|全市|全县|全区|全省|全局|本机关|本单位|本部门|我局|我委|我办|本局|本委|本办|"
    r"我市|我县|我区|我省|市政府|县政府|区政府|共计|共|累计|合计|总共|新|已|均|全部|依法|及时|并|且|还)*"
)
"""What may stand before a generic word (收到, 答复): the subject and 共. Anything else (其中通过信函收到,
延期答复) may make it a part of the figure, not the figure."""
_LEAD = re.compile(r"(?:\s|其中|另有|另|有|共有|尚有|还有|共|已)*")
_TRAIL = re.compile(r"(?:\s|申请|已|均|被|依法)*")
_CLAUSE_END = "，,；;。！？!?：:（）()\n"
_CONJ = re.compile(r"(?:、|和|及|与|或|以及|或者|并)\s*$")
_VERB = re.compile(r"(?:提起|被申请|申请|被提起|被|引发|发生|涉及|收到|受理)\s*$")
_APPROX_BEFORE = ("约", "近", "超过", "逾", "大约", "将近")
_APPROX_AFTER = re.compile(r"\s*(?:左右|以上|以下|之多|次)")
_INCLUDING = re.compile(r"\s*[（(，,]?\s*(?:其中|含|包含|包括)\s*(?:上年度?|上一年度?)(?:结转|转入)")
_PERCENT = re.compile(r"\s*[，,（(]?\s*占\s*[^\d\s，,。；;（）()%]{0,12}?\s*(?:为|是)?\s*(\d+(?:\.\d+)?)\s*%")
_ZERO_TAIL = re.compile(r"(?:的)?(?:情况|案件|事项|问题|现象)?\s*$")
_COMPARE_BEFORE = ("较", "比", "与", "同", "相比", "对比", "超过", "截至", "截止", "至", "到", "于", "从", "自")
_RANGE_AFTER = ("以来", "以前", "之前", "前", "底", "末", "同期")
_UNITS = ("件", "起", "宗")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str
    kind: Literal["figure", "domain", "negation"]


def _number_before(text: str, unit: int, lo: int) -> tuple[int, int] | None:
    """The count written right before a unit (`3119 件`, `3,119件`): (where it starts, value).
    None for none, for an approximate one (`300 余件`) and for a decimal."""
    pos = unit
    while pos > lo and text[pos - 1].isspace():
        pos -= 1
    end = pos
    while pos > lo and (text[pos - 1].isdigit() or (text[pos - 1] == "," and pos - 1 > lo and text[pos - 2].isdigit())):
        pos -= 1
    digits = text[pos:end]
    if not digits or not digits[0].isdigit() or (pos > lo and text[pos - 1] == "."):
        return None
    if "," in digits and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", digits):
        return None
    return pos, int(digits.replace(",", ""))


def _clause_start(text: str, pos: int, lo: int) -> int:
    while pos > lo and text[pos - 1] not in _CLAUSE_END:
        pos -= 1
    return pos


def _clause_end(text: str, pos: int, hi: int) -> int:
    while pos < hi and text[pos] not in _CLAUSE_END:
        pos += 1
    return pos


class FigureReader:
    """Reads the figure claims of a text with one vocabulary (a TXT-NUM rule's).

    Speed matters (the wizard checks a part on every keystroke, and regular expressions that
    test every character are slow on Chinese text), so the reader starts from what `str.find`
    locates quickly (the units 件/起/宗, the negations, 年) and reads words only near them.
    """

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
        self.by_first: dict[str, list[str]] = {}  # first character -> words, longest first
        for word in sorted(kinds, key=len, reverse=True):
            self.by_first.setdefault(word[0], []).append(word)
        # one alternation, longest words first: the fastest way to find them all in a paragraph
        self.word_re = re.compile("|".join(re.escape(w) for w in sorted(kinds, key=len, reverse=True)) or "(?!)")
        self.evidence: dict[str, str] = {}  # word -> the domain it shows the text is about
        for word, kind in kinds.items():
            if kind == "domain":
                self.evidence[word] = self.domain_of_word[word]
            elif kind == "figure":
                figs = self.by_word[word]
                if len({f.domain for f in figs}) == 1 and not any(f.needs_domain for f in figs):
                    self.evidence[word] = figs[0].domain
        self.zero_nouns = sorted(
            ((noun, fig) for fig in figures for noun in fig.zero_nouns), key=lambda nf: len(nf[0]), reverse=True
        )
        self._cache: dict[tuple[str, int], tuple[Claim, ...]] = {}
        self._paragraphs: dict[tuple[str, int], tuple[Claim, ...]] = {}
        self._para_tokens: list[_Token] = []  # the tokens of the paragraph being read
        self._para_starts: list[int] = []

    def _tokens_in(self, lo: int, hi: int) -> list[_Token]:
        """The paragraph's tokens that lie within `[lo, hi)`."""
        tokens, starts = self._para_tokens, self._para_starts
        i, j = bisect_left(starts, lo), bisect_right(starts, hi)
        return [t for t in tokens[i:j] if t.end <= hi]

    def _word_at(self, text: str, pos: int, hi: int) -> str | None:
        """The longest known word starting at `pos` (and ending by `hi`)."""
        for word in self.by_first.get(text[pos], ()) if pos < hi else ():
            if text.startswith(word, pos, hi):
                return word
        return None

    def _tokens(self, text: str, lo: int, hi: int) -> list[_Token]:
        """Known words in `text[lo:hi]`, leftmost and longest first, not overlapping."""
        kind = self.kind_of_word
        return [_Token(m.start(), m.end(), m.group(), kind[m.group()]) for m in self.word_re.finditer(text, lo, hi)]

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
        """Claims paragraph by paragraph: nothing is read across a line end, so typing in one
        paragraph reads that paragraph again and takes the others from the cache."""
        out: list[Claim] = []
        if not self.by_first:
            return out
        for para in paragraphs(text):
            shift = para.start
            for claim in self._paragraph(text[para.start : para.end], year):
                out.append(claim.shifted(shift) if shift else claim)
        return out

    def _paragraph(self, text: str, year: int) -> tuple[Claim, ...]:
        key = (text, year)
        found = self._paragraphs.get(key)
        if found is None:
            if len(self._paragraphs) > 512:
                self._paragraphs.clear()
            found = self._paragraphs[key] = tuple(self._read_paragraph(text, year))
        return found

    def _read_paragraph(self, text: str, year: int) -> list[Claim]:
        out: list[Claim] = []
        units = sorted(i for unit in _UNITS for i in find_all(text, unit))
        negations = sorted((i, word) for word in self.negations for i in find_all(text, word))
        if not units and not negations:
            return out
        para = Span(0, len(text))
        spans = sentences(text, para)
        context = _PeriodContext(text, para, year)
        self._para_tokens = self._tokens(text, 0, len(text))
        self._para_starts = [t.start for t in self._para_tokens]
        for unit in units:
            number = _number_before(text, unit, para.start)
            if number is None or _APPROX_AFTER.match(text, unit + 1):
                continue
            start, stated = number
            before = text[max(para.start, start - 4) : start].rstrip()
            if before.endswith(_APPROX_BEFORE) or not context.is_this_year(start):
                continue
            claim = self._figure_claim(text, para, start, unit + 1, stated, spans)
            if claim is not None:
                out.append(claim)
                share = self._percent_claim(text, claim, unit + 1)
                if share is not None:
                    out.append(share)
        for i, word in negations:
            if context.is_this_year(i):
                out.extend(self._zero_claims(text, _Token(i, i + len(word), word, "negation"), para, spans))
        return out

    # --- numbers ----------------------------------------------------------------------------

    def _figure_claim(
        self, text: str, para: Span, start: int, end: int, stated: int, spans: list[Span]
    ) -> Claim | None:
        clause = _clause_start(text, start, para.start)
        word = self._word_before(text, self._tokens_in(clause, start), start)
        if word is not None:
            if any(f.needs_domain for f in self.by_word[word.word]) and not _WHOLE.fullmatch(text, clause, word.start):
                return None
            phrase = Span(word.start, end)
        else:
            word = self._word_after(text, clause, start, end)
            if word is None:
                return None
            phrase = Span(start, word.end)
        sentence = sentence_at(spans, start)
        fig = self._figure_for(text, word, para, sentence, start)
        if fig is None:
            return None
        cells, name = fig.cells, fig.name
        if fig.with_carried and _INCLUDING.match(text, end):
            cells, name = fig.with_carried, fig.with_carried_name or fig.name
        return Claim("figure", fig, name, cells, stated, sentence, phrase)

    def _word_before(self, text: str, tokens: list[_Token], start: int) -> _Token | None:
        """The figure word the number follows (through filler and domain words), if any."""
        pos = start
        for tok in reversed(tokens):
            if not _FILLER.fullmatch(text, tok.end, pos):
                return None
            if tok.kind == "domain":
                pos = tok.start
                continue
            if tok.kind != "figure" or self._coordinated(text, tok):
                return None
            return tok
        return None

    def _word_after(self, text: str, clause: int, start: int, end: int) -> _Token | None:
        """A figure word right after the number (`103 件顺延到下年度`), the number leading its clause."""
        if not _LEAD.fullmatch(text, clause, start):
            return None
        trail = _TRAIL.match(text, end)
        pos = trail.end() if trail else end
        word = self._word_at(text, pos, len(text))
        if word is None or self.kind_of_word[word] != "figure" or not any(f.after for f in self.by_word[word]):
            return None
        return _Token(pos, pos + len(word), word, "figure")

    def _coordinated(self, text: str, tok: _Token) -> bool:
        """`行政复议和行政诉讼共 5 件`: the word shares its number with a subject before it."""
        stripped = text[_clause_start(text, tok.start, 0) : tok.start]
        while (verb := _VERB.search(stripped)) is not None:
            stripped = stripped[: verb.start()]
        conj = _CONJ.search(stripped)
        if conj is None:
            return False
        head = stripped[: conj.start()].rstrip()
        return not (head.endswith(_UNITS) and _number_before(head, len(head) - 1, 0) is not None)

    def _figure_for(self, text: str, word: _Token, para: Span, sentence: Span, pos: int) -> Figure | None:
        """The figure a word names here: by itself, or by the one domain the sentence is about
        (else the domain the paragraph was last about). Two domains in the sentence: unknown."""
        figs = self.by_word[word.word]
        if len(figs) == 1 and not figs[0].needs_domain:
            return figs[0]
        in_sentence: list[str] = []
        for tok in self._tokens_in(sentence.start, pos):
            shown = self.evidence.get(tok.word)
            if shown is not None and tok.start != word.start and shown not in in_sentence:
                in_sentence.append(shown)
        if len(in_sentence) > 1:
            return None  # 行政复议 3 件，行政诉讼 2 件，其中维持 1 件: which one?
        domain: str | None
        if in_sentence:
            domain = in_sentence[0]
        else:
            earlier = [self.evidence.get(t.word) for t in self._tokens_in(para.start, sentence.start)]
            domain = next((d for d in reversed(earlier) if d is not None), None)
        for fig in figs:
            if fig.domain == domain:
                return fig
        return None

    def _percent_claim(self, text: str, claim: Claim, end: int) -> Claim | None:
        m = _PERCENT.match(text, end)
        if m is None or not claim.figure.bases:
            return None
        return Claim(
            "percent",
            claim.figure,
            claim.name,
            claim.cells,
            claim.stated,
            claim.sentence,
            Span(claim.phrase.start, m.end()),
            Decimal(m.group(1)),
            claim.figure.bases,
        )

    # --- 未收到 / 未发生 --------------------------------------------------------------------

    def _zero_claims(self, text: str, tok: _Token, para: Span, spans: list[Span]) -> list[Claim]:
        end = _clause_end(text, tok.end, para.end)
        tail = text[tok.end : end]
        if any(ch.isdigit() for ch in tail):
            return []
        tail_end = _ZERO_TAIL.search(tail)
        rest = tail[: tail_end.start()] if tail_end else tail
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
            while (verb := _VERB.search(rest)) is not None:
                rest = rest[: verb.start()]
            conj = _CONJ.search(rest)
            if conj is None:
                break
            rest = rest[: conj.start()]
        phrase = Span(tok.start, end)
        sentence = sentence_at(spans, tok.start)
        return [Claim("zero", fig, fig.name, fig.cells, 0, sentence, phrase) for fig in found]


class _PeriodContext:
    """Which year a paragraph is talking about at each position: this one, or another.

    Read from every 年 of the paragraph: `2023年` (another year from here on), `本年`/`今年`
    (this year again), `上年`/`去年` (another year), and comparisons (`较2023年`, `2023年以来`)
    that only make the rest of their clause unsure.
    """

    def __init__(self, text: str, para: Span, year: int) -> None:
        self.marks: list[tuple[int, bool]] = []  # (position, talking about this year from here on)
        self.taints: list[tuple[int, int]] = []  # (from, to): a comparison with another year
        for j in find_all(text, "年", para.start, para.end):
            after = text[j + 1 : j + 4]
            if after.startswith(("结转", "度结转", "转入", "度转入")):
                continue  # 上年结转, 2023年度结转: words of the figures, not a period
            start = j
            while start > para.start and (text[start - 1].isdigit() or text[start - 1] == " "):
                start -= 1
            digits = text[start:j].strip()
            if len(digits) == 4 and digits.isdigit():
                this_year = int(digits) == year
            else:
                prev = text[max(para.start, j - 2) : j]
                if prev.endswith(("本", "今")):
                    self.marks.append((j - 1, True))
                    continue
                if not prev.endswith(("上", "去", "上一")) or after.startswith(("末", "底", "度末", "度底")):
                    continue
                this_year = False
                start = j - (2 if prev.endswith("上一") else 1)
            end = j + 2 if after.startswith("度") else j + 1
            window = text[max(para.start, start - 2) : start].rstrip()
            if window.endswith(_COMPARE_BEFORE) or text.startswith(_RANGE_AFTER, end):
                if not this_year:
                    self.taints.append((start, _clause_end(text, end, para.end)))
                continue
            self.marks.append((start, this_year))
        self.marks.sort()

    def is_this_year(self, pos: int) -> bool:
        current = True
        for mark_pos, this_year in self.marks:
            if mark_pos >= pos:
                break
            current = this_year
        return current and not any(lo <= pos < hi for lo, hi in self.taints)
