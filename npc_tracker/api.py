"""What every endpoint of /api/v1/ shares: pagination and one shape for every refusal (design.md rules 2, 14).

Every error answer is `{"code", "detail"}`, and a 400 adds `fields` (each field with its messages; nested input by
dotted path, e.g. `items.0.heading`). A refused transition is 409 with the workflow's code; input that breaks a
rule is 400 with the field; an action the user may not take on a case they can see is 403; a case they cannot
see is 404 (the queryset never finds it). Messages follow the request's language (zh-hans by default,
`Accept-Language: en`); codes never change with it.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from npc_tracker.errors import DomainError, InvalidInput, NotAllowed
from npc_tracker.throttling import failed_authentication_throttled


class Pagination(PageNumberPagination):
    """`page` from 1 and `page_size` from 1 to 200, as the schema says: anything else is a 400 naming the parameter
    (DRF would quietly use 50, or answer 404). A page past the last is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()

    def _whole_number(self, request, name, maximum=None):
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1 or (maximum is not None and value > maximum):
            message = (_("A whole number from 1 to %d.") % maximum) if maximum else _("A whole number from 1.")
            raise exceptions.ValidationError({name: [exceptions.ErrorDetail(message, code="invalid")]})
        return value

    def get_page_size(self, request):
        return self._whole_number(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        self._whole_number(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(maximum=self.max_page_size, default=self.page_size)
        return parameters


def absolute_url(request, path: str) -> str:
    """A link as the client must follow it: scheme and host of the request, https behind a TLS proxy only when
    SECURE_PROXY_SSL_HEADER says which header to trust (never from the header alone)."""
    return request.build_absolute_uri(path) if request is not None else path


class RejectUnknownFields:
    """For input serializers: a field the server does not read is a 400 naming it, never silently dropped (a client
    that misspells `issued_date` must not get today's date)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            read_only = {name for name, field in self.fields.items() if field.read_only}
            refused = sorted(set(data) - (set(self.fields) - read_only))
            if refused:
                raise exceptions.ValidationError({
                    name: [exceptions.ErrorDetail(_("This field cannot be written."), code="read_only")
                           if name in read_only else exceptions.ErrorDetail(_("Unknown field."), code="unknown_field")]
                    for name in refused})
        return super().to_internal_value(data)


def error_body(code: str, detail: str, fields: dict | None = None) -> dict:
    body = {"code": code, "detail": str(detail)}
    if fields is not None:
        body["fields"] = fields
    return body


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation errors as {dotted path: [messages]}."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list) and any(isinstance(value, dict | list) for value in detail):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(message) for message in messages if message]} if messages else {}


def _codes(codes) -> set[str]:
    if isinstance(codes, dict):
        return set().union(*map(_codes, codes.values())) if codes else set()
    if isinstance(codes, list):
        return set().union(*map(_codes, codes)) if codes else set()
    return {codes}


# A 400 names the rule when every refused field broke the same one of these; otherwise it is plain `invalid` (each
# field's message says what is wrong). DRF's own per-field codes ("blank", "max_length"…) are not part of the contract.
WHOLE_BODY_CODES = {"unknown_field", "read_only", "parse_error"}


def _validation_body(exc: exceptions.ValidationError) -> dict:
    fields = _flatten(exc.detail)
    first = next(iter(fields.values()), ["Invalid input."])
    codes = _codes(exc.get_codes())
    code = codes.pop() if len(codes) == 1 and codes <= WHOLE_BODY_CODES else "invalid"
    return error_body(code, first[0], fields)


def exception_handler(exc, context):
    if isinstance(exc, InvalidInput):
        fields = {exc.field or "non_field_errors": [exc.message]}
        return Response(error_body(exc.code, exc.message, fields), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, NotAllowed):
        return Response(error_body(exc.code, exc.message), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        throttle = failed_authentication_throttled(context["request"], context["view"])
        if throttle is not None:
            exc = exceptions.Throttled(wait=throttle.wait())
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    elif isinstance(exc, exceptions.APIException):
        # Every 400 has `fields`, empty when no field is to blame (an unreadable body).
        response.data = error_body(exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code,
                                   exc.detail, {} if response.status_code == 400 else None)
    else:  # Django's Http404 / PermissionDenied, which DRF answers with its own classes' text
        code = "not_found" if response.status_code == 404 else "permission_denied"
        response.data = error_body(code, response.data.get("detail", ""))
    return response
