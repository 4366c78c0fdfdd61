"""What changed between two versions of a report, for people reading Chinese prose. Pure.

Paragraphs are matched first so that a moved or rewritten paragraph does not smear the whole text; inside a changed
run of paragraphs the comparison goes by sentence, and inside a changed run of sentences by character, since Chinese
has no spaces to split words on.

The cost is bounded whatever a user types (design.md rule 13). `SequenceMatcher` (autojunk off, so that common
characters such as 的 still match) searches for the longest match by visiting, for each unit of the old text in the
range, every position of that unit in the new text. Each search is charged those visits before it runs (exactly, from
prefix sums), against one budget of MAX_WORK for the whole diff: a changed run whose comparison would overdraw it is
shown whole (deleted, then inserted) instead of compared finer. Texts longer than MAX_CHARS together are matched by
paragraph only, and texts whose paragraphs alone overdraw the budget not at all: the diff says `too_large` and the
reader gets the two versions side by side. `bench/case_page.py` measures typical and worst cases.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import accumulate, groupby, zip_longest
from operator import attrgetter

SAME, INSERTED, DELETED = "same", "ins", "del"

# bench/case_page.py: inputs built to spend the whole budget take about 35 ms of CPU, two completely different
# 40,000-character reports 40 ms; two such reports with scattered edits use some 20,000 visits and 3 ms, so the caps
# only bite on pathological input.
MAX_CHARS = 200_000
MAX_WORK = 500_000

# A paragraph keeps the blank lines after it: blank lines are not units, or every pair of them would count as equal.
_PARAGRAPH_START = re.compile(r"(?<=\n)(?=[^\n])")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")


@dataclass(frozen=True)
class Segment:
    kind: str
    text: str


@dataclass(frozen=True)
class Diff:
    """`segments` rebuild both texts (the old without the insertions, the new without the deletions); `paragraphs`
    are SequenceMatcher's opcodes over the two lists of paragraphs, to show them side by side, or None when even
    the paragraphs could not be matched within the budget."""

    segments: tuple[Segment, ...] = ()
    too_large: bool = False
    paragraphs: tuple[tuple[str, int, int, int, int], ...] | None = None

    @property
    def changed(self) -> bool:
        return self.too_large or any(segment.kind != SAME for segment in self.segments)

    def to_json(self) -> dict:
        return {"too_large": self.too_large, "segments": [[segment.kind, segment.text] for segment in self.segments],
                "paragraphs": None if self.paragraphs is None else [list(opcode) for opcode in self.paragraphs]}

    @classmethod
    def from_json(cls, data: dict) -> "Diff":
        paragraphs = data["paragraphs"]
        return cls(tuple(Segment(kind, text) for kind, text in data["segments"]), data["too_large"],
                   None if paragraphs is None else tuple(tuple(opcode) for opcode in paragraphs))


class _OverBudget(Exception):
    pass


class _Budget:
    def __init__(self, units: int):
        self.left = units

    def spend(self, units: int) -> None:
        self.left -= units
        if self.left < 0:
            raise _OverBudget


class _BoundedMatcher(SequenceMatcher):
    """Charges each search for the positions it may visit before making it, and gives up past the budget.

    A search over a[alo:ahi] visits each of those units once, and for each, at most every position of that unit
    in b: prefix sums of those counts make the charge exact in constant time."""

    def __init__(self, a, b, budget: _Budget):
        super().__init__(None, a, b, autojunk=False)
        self._budget = budget
        self._visits = list(accumulate((1 + len(self.b2j.get(unit, ())) for unit in a), initial=0))

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        self._budget.spend(self._visits[ahi] - self._visits[alo])
        return super().find_longest_match(alo, ahi, blo, bhi)


def _paragraphs(text: str) -> list[str]:
    return _PARAGRAPH_START.split(text)


def _sentences(text: str) -> list[str]:
    return [sentence for sentence in _SENTENCE_END.split(text) if sentence]


_LEVELS = (_paragraphs, _sentences, list)


def _segments(a: list[str], b: list[str], opcodes, level: int, budget: _Budget, out: list[Segment]) -> None:
    for op, i1, i2, j1, j2 in opcodes:
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            out.append(Segment(SAME, old_part))
        elif op == "replace" and level + 1 < len(_LEVELS):
            _compare(old_part, new_part, level + 1, budget, out)
        else:
            out += [Segment(DELETED, old_part), Segment(INSERTED, new_part)]


def _compare(old: str, new: str, level: int, budget: _Budget, out: list[Segment]) -> None:
    a, b = _LEVELS[level](old), _LEVELS[level](new)
    try:
        opcodes = _BoundedMatcher(a, b, budget).get_opcodes()
    except _OverBudget:
        out += [Segment(DELETED, old), Segment(INSERTED, new)]
        return
    _segments(a, b, opcodes, level, budget, out)


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    return tuple(Segment(kind, "".join(segment.text for segment in run))
                 for kind, run in groupby((segment for segment in segments if segment.text), key=attrgetter("kind")))


def diff(old: str, new: str, *, max_chars: int = MAX_CHARS, max_work: int = MAX_WORK) -> Diff:
    a, b = _paragraphs(old), _paragraphs(new)
    budget = _Budget(max_work)
    try:
        paragraphs = tuple(_BoundedMatcher(a, b, budget).get_opcodes())
    except _OverBudget:
        return Diff(too_large=True)
    if len(old) + len(new) > max_chars:
        return Diff(too_large=True, paragraphs=paragraphs)
    segments: list[Segment] = []
    _segments(a, b, paragraphs, 0, budget, segments)
    return Diff(_merge(segments), paragraphs=paragraphs)


def side_by_side(old: str, new: str, paragraphs) -> list[tuple[str, str, str]]:
    """Rows of (old paragraph, new paragraph, opcode tag), aligned by the stored paragraph opcodes, or row by row
    when there are none. Linear: nothing is matched here."""
    a, b = _paragraphs(old), _paragraphs(new)
    rows = []
    for op, i1, i2, j1, j2 in paragraphs if paragraphs is not None else [("replace", 0, len(a), 0, len(b))]:
        rows += [(left or "", right or "", op) for left, right in zip_longest(a[i1:i2], b[j1:j2])]
    return rows
