"""Stub: being built."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


attachment_upload = attachment_download = _todo
