"""The draft's deadline as staff say it (issue 14 §7): each choice and its compact rule text, both ways; what staff
type wrong is refused with a message and shown again as typed."""

from datetime import date

import pytest
from django.utils import translation

from opinions import deadlines
from opinions.deadline_field import (
    DeadlineKind,
    DeadlinePreviewForm,
    DeadlineRuleField,
    DeadlineRuleWidget,
    rule_parts,
    rule_text_from,
    rule_words,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def clean(*parts):
    return DeadlineRuleField(required=False).clean(list(parts))


def errors_of(*parts) -> list[str]:
    with pytest.raises(Exception) as refused:  # noqa: PT011 - a ValidationError, its messages are what is checked
        clean(*parts)
    return refused.value.messages


# (the choice, N, the date) ↔ the rule text the services and the API take
EVERY_CHOICE = [
    (("months", "3", ""), "months:3"),
    (("months", "2", ""), "months:2"),
    (("days", "30", ""), "days:30"),
    (("workdays", "10", ""), "workdays:10"),
    (("date", "", "2026-12-31"), "date:2026-12-31"),
    (("year_end", "", ""), "year_end"),
    (("december_session", "20", ""), "december_session:20"),
    (("next_session", "", ""), "next_session"),
    (("before_meeting", "20", ""), "before_meeting:20"),
    (("periodic", "6", "2027-12-31"), "periodic:6:2027-12-31"),
    (("", "", ""), ""),  # the rule set's default for the case's kind
]


@pytest.mark.parametrize(("parts", "text"), EVERY_CHOICE)
def test_each_choice_gives_its_rule_text(parts, text):
    assert clean(*parts, "", "") == text


@pytest.mark.parametrize(("parts", "text"), EVERY_CHOICE)
def test_each_rule_text_shows_as_its_choice(parts, text):
    assert rule_parts(text) == [*parts, "", ""]


def test_every_kind_of_rule_the_engine_computes_is_offered():
    # A kind the engine learns (e.g. 每 N 个月定期) fails here until staff can choose it.
    assert set(deadlines.RULE_KINDS) <= set(DeadlineKind.values)


@pytest.mark.parametrize(("text", "words"), [
    ("months:3", "三个月内"), ("months:2", "两个月内"), ("days:10", "十日内"), ("workdays:15", "十五个工作日内"),
    ("date:2026-12-31", "2026-12-31 前"), ("year_end", "年底前"), ("december_session:20", "十二月常委会会议前二十日"),
    ("next_session", "下一次常委会会议"),
])
def test_a_rule_in_the_words_of_the_opinions(text, words):
    assert rule_words(text) == words


def test_a_rule_in_english_words():
    assert rule_words("months:3", "en") == "within 3 months"
    assert rule_words("year_end", "en") == "by the end of the year"


def test_what_a_chinese_input_method_types_is_taken():
    assert clean("months", "３", "", "", "") == "months:3"
    assert clean("date", "", "２０２６－１２－３１", "", "") == "date:2026-12-31"
    assert clean("months", " 03 ", "", "", "") == "months:3"


@pytest.mark.parametrize("n", ["0", "1000", "abc", "1.5", "-1", "99999999999999999999", "三", "\x00"])
def test_a_number_that_is_not_1_to_999_is_refused_with_a_message(n):
    assert errors_of("months", n, "", "", "") == ["N must be a whole number from 1 to 999."]


def test_a_choice_that_needs_n_says_so_when_it_is_missing():
    assert errors_of("workdays", "", "", "", "") == [
        "Enter N for “Within N working days”: a whole number from 1 to 999."]


@pytest.mark.parametrize("day", ["2026-02-30", "abc", "2026/12/31", "20261231", "\x00"])
def test_a_date_that_is_not_a_date_is_refused_with_a_message(day):
    assert errors_of("date", "", day, "", "") == [
        "The date is not valid: write it as YYYY-MM-DD, e.g. 2026-12-31."]


def test_a_periodic_choice_needs_its_end_date_and_an_interval_the_engine_takes():
    with translation.override("zh-hans"):
        assert errors_of("periodic", "6", "") == ["请选择“每 N 个月定期报告，至指定日期”的日期。"]
        assert errors_of("periodic", "121", "2030-01-01")[0].startswith("期限规则“")


def test_a_date_choice_needs_its_date():
    assert errors_of("date", "", "", "", "") == ["Choose the date for “By a given date”."]


def test_a_malformed_value_is_refused_even_in_an_input_the_choice_does_not_use():
    # Without JavaScript every input is shown and sent; a value that cannot be read is never silently dropped.
    assert errors_of("year_end", "abc", "", "", "") == ["N must be a whole number from 1 to 999."]
    assert errors_of("months", "3", "abc", "", "") == [
        "The date is not valid: write it as YYYY-MM-DD, e.g. 2026-12-31."]


def test_every_wrong_part_is_named_at_once():
    assert errors_of("nonsense", "0", "x", "", "") == [
        "Choose how the deadline is counted.", "N must be a whole number from 1 to 999.",
        "The date is not valid: write it as YYYY-MM-DD, e.g. 2026-12-31."]


def test_the_messages_are_the_chinese_of_the_page_when_it_speaks_chinese():
    # The rule as written is read by the engine, whose messages are Chinese first.
    with translation.override("zh-hans"):
        messages = errors_of("text", "", "", "3个月", "")
    assert messages[0].startswith("期限规则“3个月”无法识别")


# ---------------------------------------------------------------- a stored rule the choices cannot express


def test_a_stored_rule_the_choices_cannot_express_is_shown_as_written():
    assert rule_parts("3个月") == ["text", "", "", "3个月", ""]
    html = DeadlineRuleWidget().render("deadline_rule", "3个月", attrs={"id": "id_deadline_rule"})
    assert '<option value="text" selected>Other (the rule as written)</option>' in html
    assert 'name="deadline_rule_text" value="3个月"' in html


def test_the_rule_as_written_is_offered_only_for_such_a_rule():
    html = DeadlineRuleWidget().render("deadline_rule", "months:3", attrs={"id": "id_deadline_rule"})
    assert 'value="text"' not in html
    assert "deadline_rule_text" not in html
    assert '<option value="months" selected>' in html
    assert 'name="deadline_rule_n" value="3"' in html


def test_a_rule_as_written_that_reads_is_saved_in_its_usual_form():
    assert clean("text", "", "", "Months：3", "") == "months:3"


def test_a_rule_as_written_that_does_not_read_is_refused_and_not_echoed_at_length():
    (message,) = errors_of("text", "", "", "x" * 5000, "")
    assert "x" * 40 + "…" in message
    assert len(message) < 1000


# ---------------------------------------------------------------- the default the page preselected


def test_the_preselected_default_left_as_it_was_stands_for_the_kind_default():
    # Without JavaScript, changing the case's kind cannot change the deadline shown: the service then applies the
    # default of the kind saved.
    assert rule_parts("months:3", default="months:3") == ["months", "3", "", "", "months:3"]
    assert clean("months", "3", "", "", "months:3") == ""


def test_a_rule_staff_chose_over_the_preselected_default_is_kept():
    assert clean("months", "2", "", "", "months:3") == "months:2"


def test_a_stored_rule_other_than_the_default_carries_no_default():
    assert rule_parts("months:2", default="months:3") == ["months", "2", "", "", ""]


def test_a_malformed_default_marker_is_refused():
    assert errors_of("months", "3", "", "", "abc") == [
        "The deadline was sent malformed: reload the page and try again."]


def test_the_compact_text_itself_is_still_read():
    widget = DeadlineRuleWidget()
    assert widget.value_from_datadict({"deadline_rule": "workdays:10"}, {}, "deadline_rule") == [
        "workdays", "10", "", "", ""]
    assert rule_text_from(widget.value_from_datadict({"deadline_rule": ""}, {}, "deadline_rule")) == ""


# ---------------------------------------------------------------- the preview's input


def test_the_preview_takes_the_parts_a_kind_and_a_bounded_anchor():
    form = DeadlinePreviewForm({"kind": "plan_execution", "deadline_rule_kind": "months", "deadline_rule_n": "3",
                                "anchor": "2026-06-10"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"kind": "plan_execution", "deadline_rule": "months:3", "anchor": date(2026, 6, 10),
                                 "meeting": None}
    far = DeadlinePreviewForm({"kind": "plan_execution", "anchor": "2300-01-01"})
    assert far.errors["anchor"] == ["Choose a day from 2000-01-01 to 2099-12-31."]
