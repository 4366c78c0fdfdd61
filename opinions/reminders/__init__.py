"""The reminder ladder of a case (domain.md §7): when each rung fires (schedule, pure), planning the rungs of the
cases that need them (planning), claiming and delivering due rungs (sweep), and what was sent (log). It is case
business; the messages it writes go out through the notifications outbox."""
