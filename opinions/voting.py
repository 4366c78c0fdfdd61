"""The satisfaction evaluation's result rule (满意度测评, domain.md §8). Pure.

More than half of the votes cast 满意 → satisfied; otherwise more than half 满意 + 基本满意 → basically satisfied;
otherwise dissatisfied (the body reports again at the next session).
"""

SATISFIED = "satisfied"
BASICALLY_SATISFIED = "basically_satisfied"
DISSATISFIED = "dissatisfied"


class InvalidVotes(ValueError):
    pass


def evaluation_result(*, entitled: int, satisfied: int, basically_satisfied: int, dissatisfied: int) -> str:
    counts = (entitled, satisfied, basically_satisfied, dissatisfied)
    if any(not isinstance(n, int) or n < 0 for n in counts):
        raise InvalidVotes("counts must be whole numbers, zero or more")
    cast = satisfied + basically_satisfied + dissatisfied
    if cast == 0:
        raise InvalidVotes("no votes cast")
    if cast > entitled:
        raise InvalidVotes("more votes cast than members entitled to vote")
    if 2 * satisfied > cast:
        return SATISFIED
    if 2 * (satisfied + basically_satisfied) > cast:
        return BASICALLY_SATISFIED
    return DISSATISFIED
