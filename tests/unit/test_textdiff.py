"""The report diff: paragraphs first, then characters, and nothing lost on either side."""

from hypothesis import given
from hypothesis import strategies as st

from opinions.textdiff import DELETED, INSERTED, SAME, Segment, changed, diff


def test_a_changed_phrase_inside_a_paragraph_is_marked_by_character():
    old = "一、已完成整改。\n二、正在推进。\n"
    new = "一、已完成整改。\n二、已全部完成。\n"
    assert diff(old, new) == [Segment(SAME, "一、已完成整改。\n二、"), Segment(DELETED, "正在推进"),
                              Segment(INSERTED, "已全部完成"), Segment(SAME, "。\n")]


def test_an_added_paragraph_is_one_insertion():
    assert diff("甲\n", "甲\n乙\n") == [Segment(SAME, "甲\n"), Segment(INSERTED, "乙\n")]


def test_identical_texts_have_no_changes():
    assert not changed(diff("相同\n文本", "相同\n文本"))
    assert changed(diff("a", "b"))


@given(st.text(alphabet="甲乙丙丁。\n", max_size=60), st.text(alphabet="甲乙丙丁。\n", max_size=60))
def test_both_versions_can_be_read_back_from_the_diff(old, new):
    segments = diff(old, new)
    assert "".join(s.text for s in segments if s.kind != INSERTED) == old
    assert "".join(s.text for s in segments if s.kind != DELETED) == new
    assert all(s.text for s in segments)
