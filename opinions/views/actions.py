from django.http import Http404


def case_action(request, pk, action):
    raise Http404


def item_action(request, pk, item_pk, action):
    raise Http404
