"""What changed between two versions of a report, for people reading Chinese prose. Pure.

Paragraphs are matched first so that a moved or rewritten paragraph does not smear the whole text; inside a changed
paragraph the comparison is by character, since Chinese has no spaces to split words on.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

SAME, INSERTED, DELETED = "same", "ins", "del"


@dataclass(frozen=True)
class Segment:
    kind: str
    text: str


def _merge(segments):
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].kind == segment.kind:
            merged[-1] = Segment(segment.kind, merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return merged


def _by_character(old: str, new: str):
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            yield Segment(SAME, old[i1:i2])
        else:
            yield Segment(DELETED, old[i1:i2])
            yield Segment(INSERTED, new[j1:j2])


def diff(old: str, new: str) -> list[Segment]:
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    segments = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment(SAME, "".join(old_lines[i1:i2])))
        elif op == "replace":
            segments.extend(_by_character("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])))
        else:
            segments.append(Segment(DELETED, "".join(old_lines[i1:i2])))
            segments.append(Segment(INSERTED, "".join(new_lines[j1:j2])))
    return _merge(segments)


def changed(segments: list[Segment]) -> bool:
    return any(segment.kind != SAME for segment in segments)
