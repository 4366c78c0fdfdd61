"""Stub: being built."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


meeting_list = meeting_create = meeting_detail = meeting_edit = _todo
