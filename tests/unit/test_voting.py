"""Tests of the pure satisfaction-vote rule in opinions.voting (满意度测评, domain.md §8).

The expected results are written from the rule as people state it ("more than half of the base"), with a slow
reference that counts heads, never from the module's own arithmetic.
"""

import ast
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opinions import voting
from opinions.voting import (
    BASICALLY_SATISFIED,
    DISSATISFIED,
    SATISFIED,
    InvalidVotes,
    VoteBase,
    evaluation_result,
    has_quorum,
)

CAST, PRESENT, ALL = VoteBase.VOTES_CAST, VoteBase.MEMBERS_PRESENT, VoteBase.ALL_MEMBERS


def refused(**kwargs) -> InvalidVotes:
    with pytest.raises(InvalidVotes) as exc:
        evaluation_result(**kwargs)
    return exc.value


def vote(s, b, d, *, base=CAST, entitled=None, members=None, present=None):
    entitled = entitled if entitled is not None else (present if present is not None else s + b + d)
    return evaluation_result(entitled=entitled, satisfied=s, basically_satisfied=b, dissatisfied=d, base=base,
                             members=members, present=present)


# ---------------------------------------------------------------- the module stays pure


def test_voting_imports_nothing_but_the_standard_library():
    tree = ast.parse(Path(voting.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"enum", "dataclasses", "collections", "typing"}


# ---------------------------------------------------------------- quorum: more than half of all members present


@pytest.mark.parametrize(("members", "present", "quorum"), [
    (45, 23, True), (45, 22, False),  # odd: 23 is the smallest majority
    (48, 25, True), (48, 24, False),  # even: exactly half is not more than half
    (1, 1, True), (1, 0, False), (2, 1, False), (2, 2, True), (3, 2, True),
    (45, 38, True), (48, 46, True), (48, 45, True),  # the seeds' sessions
])
def test_quorum_is_strictly_more_than_half_of_all_members(members, present, quorum):
    assert has_quorum(members=members, present=present) is quorum


def test_a_meeting_without_a_quorum_cannot_vote_whatever_the_base():
    for base in VoteBase:
        exc = refused(entitled=24, satisfied=24, basically_satisfied=0, dissatisfied=0, base=base, members=48,
                      present=24)
        assert (exc.code, exc.numbers) == (voting.NO_QUORUM, {"present": 24, "members": 48})


def test_more_present_than_members_is_refused_before_the_quorum():
    exc = refused(entitled=40, satisfied=40, basically_satisfied=0, dissatisfied=0, members=39, present=40)
    assert (exc.code, exc.numbers) == (voting.MORE_PRESENT_THAN_MEMBERS, {"present": 40, "members": 39})


def test_a_committee_without_members_is_refused():
    assert refused(entitled=1, satisfied=1, basically_satisfied=0, dissatisfied=0, members=0).code == voting.NO_MEMBERS


def test_the_quorum_is_checked_only_when_both_numbers_are_known():
    assert vote(20, 0, 0, members=48) == SATISFIED  # present unknown: the votes cast decide
    assert vote(20, 0, 0, present=21) == SATISFIED  # members unknown: no quorum check is possible here


# ---------------------------------------------------------------- the base


def test_votes_cast_is_the_default_base_and_counts_only_the_ballots():
    # 40 entitled, 38 voted: 20 of 38 is more than half; 19 of 38 is exactly half, so 19 + 10 decides.
    assert evaluation_result(entitled=40, satisfied=20, basically_satisfied=10, dissatisfied=8) == SATISFIED
    assert evaluation_result(entitled=40, satisfied=19, basically_satisfied=10, dissatisfied=9) == BASICALLY_SATISFIED
    assert evaluation_result(entitled=40, satisfied=9, basically_satisfied=10, dissatisfied=19) == DISSATISFIED


@pytest.mark.parametrize(("base", "expected"), [(CAST, SATISFIED), (PRESENT, BASICALLY_SATISFIED),
                                                 (ALL, DISSATISFIED)])
def test_the_same_ballots_give_different_results_on_each_base(base, expected):
    # 48 members, 46 present, 30 voted 16 / 8 / 6. Of the 30 cast, 16 is more than half; of the 46 present, 16 is
    # not but 16 + 8 = 24 is; of all 48 members, 24 is exactly half, which is not more than half.
    assert vote(16, 8, 6, base=base, members=48, present=46, entitled=46) == expected


@pytest.mark.parametrize("base", list(VoteBase))
def test_exactly_half_is_not_more_than_half_on_every_base(base):
    # Every base is 40 here: 40 cast, 40 present, 40 members (all present).
    assert vote(20, 0, 20, base=base, members=40, present=40) == DISSATISFIED
    assert vote(21, 0, 19, base=base, members=40, present=40) == SATISFIED
    assert vote(10, 10, 20, base=base, members=40, present=40) == DISSATISFIED
    assert vote(10, 11, 19, base=base, members=40, present=40) == BASICALLY_SATISFIED
    assert vote(20, 1, 19, base=base, members=40, present=40) == BASICALLY_SATISFIED


def test_on_the_present_base_abstentions_count_against():
    # 46 present, 40 voted: 23 satisfied is half of those present, though more than half of the votes cast.
    assert vote(23, 10, 7, base=PRESENT, members=48, present=46) == BASICALLY_SATISFIED
    assert vote(23, 10, 7, base=CAST, members=48, present=46, entitled=46) == SATISFIED
    assert vote(24, 10, 6, base=PRESENT, members=48, present=46) == SATISFIED


def test_on_the_all_members_base_absent_members_count_against():
    # 48 members: 24 satisfied is half of them, however many were present.
    assert vote(24, 0, 0, base=ALL, members=48, present=46) == DISSATISFIED
    assert vote(24, 1, 0, base=ALL, members=48, present=46) == BASICALLY_SATISFIED
    assert vote(25, 0, 0, base=ALL, members=48, present=46) == SATISFIED


def test_a_base_that_needs_an_unknown_number_is_refused():
    assert refused(entitled=40, satisfied=30, basically_satisfied=0, dissatisfied=0, base=PRESENT,
                   members=48).code == voting.BASE_NEEDS_PRESENT
    assert refused(entitled=40, satisfied=30, basically_satisfied=0, dissatisfied=0, base=ALL,
                   present=46).code == voting.BASE_NEEDS_MEMBERS
    assert vote(30, 0, 0, base=CAST) == SATISFIED  # the votes cast need nothing else


def test_the_base_may_be_given_as_its_stored_string():
    assert vote(24, 0, 0, base="all_members", members=48, present=46) == DISSATISFIED
    with pytest.raises(ValueError, match="two_thirds"):
        vote(24, 0, 0, base="two_thirds")


# ---------------------------------------------------------------- counts that do not add up


@pytest.mark.parametrize("bad", [-1, 1.5, "3", None, True])
@pytest.mark.parametrize("field", ["entitled", "satisfied", "basically_satisfied", "dissatisfied"])
def test_counts_must_be_whole_numbers_zero_or_more(field, bad):
    counts = {"entitled": 40, "satisfied": 10, "basically_satisfied": 10, "dissatisfied": 10, field: bad}
    assert refused(**counts).code == voting.NOT_WHOLE_NUMBERS


@pytest.mark.parametrize("bad", [-1, 2.0, "45", True])
@pytest.mark.parametrize("field", ["members", "present"])
def test_the_meetings_numbers_must_be_whole_numbers_too(field, bad):
    numbers = {"members": 48, "present": 46, field: bad}
    assert refused(entitled=40, satisfied=30, basically_satisfied=0, dissatisfied=0, **numbers).code == (
        voting.NOT_WHOLE_NUMBERS)


def test_no_votes_at_all_is_refused():
    assert refused(entitled=40, satisfied=0, basically_satisfied=0, dissatisfied=0).code == voting.NO_VOTES


def test_more_votes_than_entitled_is_refused_with_both_numbers():
    exc = refused(entitled=10, satisfied=9, basically_satisfied=5, dissatisfied=0)
    assert (exc.code, exc.numbers) == (voting.MORE_VOTES_THAN_ENTITLED, {"cast": 14, "entitled": 10})
    assert vote(9, 1, 0, entitled=10) == SATISFIED  # exactly as many as entitled is fine


def test_more_entitled_than_present_or_members_is_refused():
    exc = refused(entitled=47, satisfied=30, basically_satisfied=0, dissatisfied=0, members=48, present=46)
    assert (exc.code, exc.numbers) == (voting.MORE_ENTITLED_THAN_PRESENT, {"entitled": 47, "present": 46})
    exc = refused(entitled=49, satisfied=30, basically_satisfied=0, dissatisfied=0, members=48)
    assert (exc.code, exc.numbers) == (voting.MORE_ENTITLED_THAN_MEMBERS, {"entitled": 49, "members": 48})


def test_the_refusal_carries_a_code_and_numbers_never_words():
    exc = refused(entitled=10, satisfied=9, basically_satisfied=5, dissatisfied=0)
    assert str(exc) == voting.MORE_VOTES_THAN_ENTITLED
    assert exc.code in voting.CODES


# ---------------------------------------------------------------- every small vote, against a head count


def reference(s, b, d, base, members, present):
    """Count heads: the result people would write down, by the rule as stated."""
    whole = {CAST: s + b + d, PRESENT: present, ALL: members}[base]
    if s > whole / 2:
        return SATISFIED
    if s + b > whole / 2:
        return BASICALLY_SATISFIED
    return DISSATISFIED


def every_vote(limit):
    """Every meeting of up to `limit` members, every attendance with a quorum, every ballot of those present."""
    for members in range(1, limit + 1):
        for present in range(members // 2 + 1, members + 1):
            for s, b, d in itertools.product(range(present + 1), repeat=3):
                if 0 < s + b + d <= present:
                    yield members, present, s, b, d


@pytest.mark.parametrize("base", list(VoteBase))
def test_every_vote_of_a_small_committee_matches_the_head_count(base):
    checked = 0
    for members, present, s, b, d in every_vote(10):
        assert vote(s, b, d, base=base, members=members, present=present) == reference(
            s, b, d, base, members, present), (members, present, s, b, d)
        checked += 1
    assert checked > 1000


def test_every_attendance_without_a_quorum_is_refused_and_every_other_accepted():
    for members in range(1, 30):
        for present in range(members + 1):
            entitled = present
            kwargs = {"entitled": entitled, "satisfied": present, "basically_satisfied": 0, "dissatisfied": 0,
                      "members": members, "present": present}
            if 2 * present > members:
                assert evaluation_result(**kwargs) == SATISFIED
            else:
                assert refused(**kwargs).code in (voting.NO_QUORUM, voting.NO_VOTES)


@given(members=st.integers(1, 300), data=st.data(), base=st.sampled_from(list(VoteBase)))
def test_large_votes_match_the_head_count(members, data, base):
    present = data.draw(st.integers(members // 2 + 1, members))
    s = data.draw(st.integers(0, present))
    b = data.draw(st.integers(0, present - s))
    d = data.draw(st.integers(0 if s + b else 1, present - s - b))
    assert vote(s, b, d, base=base, members=members, present=present) == reference(s, b, d, base, members, present)


@given(s=st.integers(0, 100), b=st.integers(0, 100), d=st.integers(0, 100), extra=st.integers(0, 5))
def test_moving_a_vote_up_never_lowers_the_result(s, b, d, extra):
    """One 不满意 turned 基本满意, or one 基本满意 turned 满意, never makes the result worse."""
    if s + b + d == 0:
        return
    order = [DISSATISFIED, BASICALLY_SATISFIED, SATISFIED]
    entitled = s + b + d + extra
    before = order.index(vote(s, b, d, entitled=entitled))
    if d:
        assert order.index(vote(s, b + 1, d - 1, entitled=entitled)) >= before
    if b:
        assert order.index(vote(s + 1, b - 1, d, entitled=entitled)) >= before
