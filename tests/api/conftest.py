import collections

# Requests sent by the schema fuzzing, per operation; reported at the end of the run.
FUZZ_COUNTS = collections.Counter()


def pytest_terminal_summary(terminalreporter):
    if FUZZ_COUNTS:
        from django.db import connection

        terminalreporter.write_line(f"schema fuzzing: {sum(FUZZ_COUNTS.values())} generated requests over "
                                    f"{len(FUZZ_COUNTS)} operations ({connection.vendor})")
