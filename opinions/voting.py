"""The satisfaction evaluation's result rule (满意度测评, domain.md §8). Pure: no Django.

满意 when more than half of the base voted 满意; otherwise 基本满意 when more than half of the base voted 满意 or
基本满意; otherwise 不满意 (the body reports again at the next session). Exactly half is not more than half.

The base is the rule set's choice, as local rules differ: the votes cast (the default), the members present at the
meeting, or all members of the Standing Committee (全体组成人员). A Standing Committee meeting can vote only when more
than half of all its members are present (quorum; 监督法, 地方组织法).

A refusal is an InvalidVotes carrying a code and the numbers involved, never words: the Django side says it in the
user's language (opinions.services.evaluations).
"""

from enum import StrEnum

SATISFIED = "satisfied"
BASICALLY_SATISFIED = "basically_satisfied"
DISSATISFIED = "dissatisfied"


class VoteBase(StrEnum):
    VOTES_CAST = "votes_cast"  # 以实际投票数为基数
    MEMBERS_PRESENT = "members_present"  # 以出席会议的组成人员为基数
    ALL_MEMBERS = "all_members"  # 以全体组成人员为基数


# The codes of InvalidVotes, in the order the checks run.
NOT_WHOLE_NUMBERS = "not_whole_numbers"  # a count is not a whole number, zero or more
NO_MEMBERS = "no_members"  # the Standing Committee has no members
MORE_PRESENT_THAN_MEMBERS = "more_present_than_members"
NO_QUORUM = "no_quorum"  # not more than half of all members present
BASE_NEEDS_PRESENT = "base_needs_present"  # the base is the members present, and that number is not known
BASE_NEEDS_MEMBERS = "base_needs_members"  # the base is all members, and that number is not known
MORE_ENTITLED_THAN_PRESENT = "more_entitled_than_present"
MORE_ENTITLED_THAN_MEMBERS = "more_entitled_than_members"
NO_VOTES = "no_votes"
MORE_VOTES_THAN_ENTITLED = "more_votes_than_entitled"

CODES = (NOT_WHOLE_NUMBERS, NO_MEMBERS, MORE_PRESENT_THAN_MEMBERS, NO_QUORUM, BASE_NEEDS_PRESENT, BASE_NEEDS_MEMBERS,
         MORE_ENTITLED_THAN_PRESENT, MORE_ENTITLED_THAN_MEMBERS, NO_VOTES, MORE_VOTES_THAN_ENTITLED)


class InvalidVotes(ValueError):
    """What is wrong with a vote, as data: `code` (one of CODES) and the numbers the message needs."""

    def __init__(self, code: str, **numbers):
        super().__init__(code)
        self.code = code
        self.numbers = numbers


def _whole(n) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n >= 0


def more_than_half(part: int, whole: int) -> bool:
    """"过半数": strictly more than half; exactly half is not enough."""
    return 2 * part > whole


def has_quorum(*, members: int, present: int) -> bool:
    """More than half of all members present."""
    return more_than_half(present, members)


def vote_base_count(base: VoteBase | str, *, cast: int, present: int | None, members: int | None) -> int:
    """The number the result is measured against."""
    base = VoteBase(base)
    if base is VoteBase.MEMBERS_PRESENT:
        if present is None:
            raise InvalidVotes(BASE_NEEDS_PRESENT)
        return present
    if base is VoteBase.ALL_MEMBERS:
        if members is None:
            raise InvalidVotes(BASE_NEEDS_MEMBERS)
        return members
    return cast


def check_attendance(*, members: int | None, present: int | None) -> None:
    """The meeting's numbers, each of which may be unknown: consistent, and a quorum when both are known."""
    if any(n is not None and not _whole(n) for n in (members, present)):
        raise InvalidVotes(NOT_WHOLE_NUMBERS)
    if members == 0:
        raise InvalidVotes(NO_MEMBERS)
    if members is not None and present is not None:
        if present > members:
            raise InvalidVotes(MORE_PRESENT_THAN_MEMBERS, present=present, members=members)
        if not has_quorum(members=members, present=present):
            raise InvalidVotes(NO_QUORUM, present=present, members=members)


def evaluation_result(*, entitled: int, satisfied: int, basically_satisfied: int, dissatisfied: int,
                      base: VoteBase | str = VoteBase.VOTES_CAST, members: int | None = None,
                      present: int | None = None) -> str:
    """The result of a vote. `entitled` is the number entitled to vote (应参加表决人数); `members` and `present` are
    the meeting's numbers of all members and of those present, None where not known. The quorum is checked when both
    are known; a base that needs an unknown number is refused."""
    counts = (entitled, satisfied, basically_satisfied, dissatisfied)
    if any(not _whole(n) for n in counts):
        raise InvalidVotes(NOT_WHOLE_NUMBERS)
    check_attendance(members=members, present=present)
    cast = satisfied + basically_satisfied + dissatisfied
    whole = vote_base_count(base, cast=cast, present=present, members=members)
    if present is not None and entitled > present:
        raise InvalidVotes(MORE_ENTITLED_THAN_PRESENT, entitled=entitled, present=present)
    if members is not None and entitled > members:
        raise InvalidVotes(MORE_ENTITLED_THAN_MEMBERS, entitled=entitled, members=members)
    if cast == 0:
        raise InvalidVotes(NO_VOTES)
    if cast > entitled:
        raise InvalidVotes(MORE_VOTES_THAN_ENTITLED, cast=cast, entitled=entitled)
    if more_than_half(satisfied, whole):
        return SATISFIED
    if more_than_half(satisfied + basically_satisfied, whole):
        return BASICALLY_SATISFIED
    return DISSATISFIED
