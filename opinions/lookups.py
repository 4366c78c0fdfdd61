"""`id__any_of=<subquery>`: `id IN (subquery)`, which PostgreSQL writes as `id = ANY(ARRAY(subquery))`.

Why: a liaison's cases are "lead body is X OR id IN (co-handled by X)". With IN, PostgreSQL cannot combine the OR's
two halves through their indexes and scans every case (60 ms at 100,000 cases, however few are the body's); with
ANY(ARRAY(...)) the subquery runs once and the OR becomes a BitmapOr of the lead-body index and the primary key
(7 ms for a body with 2,000 cases). Other databases get the plain IN, which they plan well enough at their sizes.
"""

from django.db import models


class AnyOf(models.Lookup):
    lookup_name = "any_of"

    def _sides(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return lhs, rhs, [*lhs_params, *rhs_params]

    def as_sql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", params


def register() -> None:
    models.BigAutoField.register_lookup(AnyOf)
