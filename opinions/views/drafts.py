from django.http import Http404


def case_create(request):
    raise Http404


def case_edit(request, pk):
    raise Http404
