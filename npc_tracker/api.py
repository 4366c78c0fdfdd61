"""What every endpoint of /api/v1/ shares: pagination and how domain refusals become HTTP answers (design.md rule 2).

A refused transition is 409 with the workflow's code; input that breaks a rule is 400 with the field; an action
the user may not take on a case they can see is 403; a case they cannot see is 404 (the queryset never finds it).
Messages follow the request's language (zh-hans by default, `Accept-Language: en`).
"""

from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from npc_tracker.errors import DomainError, InvalidInput, NotAllowed


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    if isinstance(exc, InvalidInput):
        return Response({exc.field or "non_field_errors": [exc.message], "code": exc.code},
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, NotAllowed):
        return Response({"code": exc.code, "detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "detail": exc.message}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)
