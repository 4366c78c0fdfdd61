"""The public site (向社会公布), no login: the list of published cases with its filters, each publication's page,
its files and an Atom feed. Pages are read-only GETs rendered without the request — no session, no CSRF token, no
signed-in person's anything — so they set no cookie and may be cached; every answer counts against the address's
rate limit (public.throttle)."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import InvalidPage, Paginator
from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from . import selectors
from .forms import SearchForm
from .throttle import rate_limited

PAGE_SIZE = 20
FEED_SIZE = 50


def _render(template: str, context: dict, *, status: int = 200) -> HttpResponse:
    return HttpResponse(render_to_string(template, context), status=status)


def too_many(request, retry_after: int) -> HttpResponse:
    response = _render("public/429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, no_store=True)
    return response


def not_found(request, *args, **kwargs) -> HttpResponse:
    return _render("public/404.html", {}, status=404)


def public_page(view):
    """GET/HEAD only, rate-limited; a found page may be kept by caches for PUBLIC_CACHE_SECONDS, a refusal is not
    kept (so taking a case off the site is seen as soon as the cached copies expire)."""
    @require_safe
    @rate_limited(too_many)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        else:
            patch_cache_control(response, no_store=True)
        return response
    return wrapped


@public_page
def publication_list(request):
    choices = selectors.filter_choices()
    form = SearchForm(request.GET, **choices)
    if not form.is_valid():
        return _render("public/list.html", {"form": form, "page": None, "choices": choices}, status=400)
    filters = {name: value for name, value in form.cleaned_data.items() if value}
    paginator = Paginator(selectors.publication_rows(**filters), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        return not_found(request)
    rows = [selectors.row(publication) for publication in page.object_list]
    query = urlencode({name: value for name, value in form.data.items() if name in filters})
    return _render("public/list.html", {"form": form, "page": page, "rows": rows, "query": query,
                                        "filtered": bool(filters)})


@public_page
def publication_detail(request, slug):
    record = selectors.public_record(slug)
    if record is None:
        return not_found(request)
    return _render("public/detail.html", {"record": record})


@public_page
def publication_file(request, slug, token):
    published = selectors.published_file(slug, token)
    if published is None:
        return not_found(request)
    response = FileResponse(published.open(), as_attachment=True, filename=published.original_name,
                            content_type=published.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class PublicationFeed(Feed):
    """The latest publications as Atom: the title, the body and the dates, linked to the public page."""

    feed_type = Atom1Feed
    title = gettext_lazy("Supervision opinions made public (向社会公布)")
    subtitle = gettext_lazy("Deliberation opinions of the Standing Committee, the bodies' reports on them and the "
                            "satisfaction evaluations, as published.")

    def link(self):
        return reverse("public:list")

    def feed_url(self):
        return reverse("public:feed")

    def items(self):
        return selectors.feed_rows(FEED_SIZE)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [item.lead_body, item.kind, item.doc_number]
        if item.issued_date:
            parts.append(_("Issued on %(date)s") % {"date": item.issued_date.isoformat()})
        if item.closed_date:
            parts.append(_("Closed on %(date)s") % {"date": item.closed_date.isoformat()})
        return " · ".join(part for part in parts if part)

    def item_link(self, item):
        return reverse("public:detail", args=[item.slug])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at


publication_feed = public_page(PublicationFeed())
