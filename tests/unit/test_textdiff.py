"""The report diff: paragraphs, then sentences, then characters; bounded; nothing lost on either side."""

from hypothesis import given
from hypothesis import strategies as st

from opinions.textdiff import DELETED, INSERTED, SAME, Diff, Segment, diff, side_by_side


def test_a_changed_phrase_inside_a_paragraph_is_marked_by_character():
    old = "一、已完成整改。\n二、正在推进。\n"
    new = "一、已完成整改。\n二、已全部完成。\n"
    assert diff(old, new).segments == (Segment(SAME, "一、已完成整改。\n二、"), Segment(DELETED, "正在推进"),
                                       Segment(INSERTED, "已全部完成"), Segment(SAME, "。\n"))


def test_an_added_paragraph_is_one_insertion():
    assert diff("甲\n", "甲\n乙\n").segments == (Segment(SAME, "甲\n"), Segment(INSERTED, "乙\n"))


def test_identical_texts_have_no_changes():
    assert not diff("相同\n文本", "相同\n文本").changed
    assert diff("a", "b").changed


def test_in_one_long_paragraph_only_the_changed_sentence_is_compared_by_character():
    sentences = [f"第{n}项工作已经完成。" for n in range(300)]
    new = sentences.copy()
    new[150] = "第150项工作正在推进。"
    assert diff("".join(sentences), "".join(new)).segments == (
        Segment(SAME, "".join(sentences[:150]) + "第150项工作"), Segment(DELETED, "已经完成"),
        Segment(INSERTED, "正在推进"), Segment(SAME, "。" + "".join(sentences[151:])))


def test_a_changed_run_beyond_the_budget_is_shown_whole_instead_of_by_character():
    # Matching the paragraphs costs 1 visit and the sentences 4; the characters would cost 11 more.
    assert diff("甲乙丙。丁戊。", "甲乙丁。丁戊。", max_work=5).segments == (
        Segment(DELETED, "甲乙丙。"), Segment(INSERTED, "甲乙丁。"), Segment(SAME, "丁戊。"))
    assert diff("甲乙丙。丁戊。", "甲乙丁。丁戊。", max_work=16).segments[:2] == (
        Segment(SAME, "甲乙"), Segment(DELETED, "丙"))


def test_texts_longer_than_the_cap_are_too_large_but_keep_their_paragraphs_aligned():
    result = diff("甲\n乙\n", "甲\n丙\n", max_chars=7)
    assert result.too_large
    assert result.changed
    assert result.segments == ()
    assert result.paragraphs == (("equal", 0, 1, 0, 1), ("replace", 1, 2, 1, 2))


def test_paragraphs_too_costly_to_match_make_the_diff_too_large_without_alignment():
    same_lines = "同一行\n" * 1000
    result = diff(same_lines, same_lines + "新\n", max_work=100_000)
    assert result == Diff(too_large=True)


def test_blank_lines_belong_to_the_paragraph_before_them():
    # Else every pair of blank lines would be an equal pair for the matcher to visit.
    assert diff("甲\n\n乙\n", "甲\n\n丙\n").paragraphs == (("equal", 0, 1, 0, 1), ("replace", 1, 2, 1, 2))


def test_side_by_side_rows_pair_equal_paragraphs_and_leave_a_gap_beside_an_insertion():
    old, new = "甲\n乙\n", "甲\n新\n乙\n"
    assert side_by_side(old, new, diff(old, new).paragraphs) == [
        ("甲\n", "甲\n", "equal"), ("", "新\n", "insert"), ("乙\n", "乙\n", "equal")]


def test_side_by_side_without_alignment_goes_row_by_row():
    assert side_by_side("甲\n乙\n", "丙\n", None) == [("甲\n", "丙\n", "replace"), ("乙\n", "", "replace")]


units = st.text(alphabet="甲乙丙丁。\n", max_size=60)


@given(units, units, st.integers(min_value=0, max_value=200))
def test_both_versions_can_be_read_back_from_the_stored_diff_whatever_the_budget(old, new, max_work):
    result = Diff.from_json(diff(old, new, max_work=max_work).to_json())
    if result.too_large:
        assert result.segments == ()
        return
    assert "".join(s.text for s in result.segments if s.kind != INSERTED) == old
    assert "".join(s.text for s in result.segments if s.kind != DELETED) == new
    assert all(s.text for s in result.segments)
    rows = side_by_side(old, new, result.paragraphs)
    assert "".join(left for left, _, _ in rows) == old
    assert "".join(right for _, right, _ in rows) == new
