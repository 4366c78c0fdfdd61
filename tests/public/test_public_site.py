"""The public site (/public/, no login) faces the internet: what the staff chose goes out, nothing else does — no
internal remark, comment, note, person or id — and nothing of a case taken off the site can be reached any more."""

import re
import xml.etree.ElementTree as ET
from datetime import date

import lxml.html
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from opinions import services
from public.models import Part, PublishedFile
from public.throttle import parse_rate

from .conftest import PUBLIC, SECRETS, pdf

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SLUG = re.compile(r"^\d{4}-[a-z0-9]{10}$")
# Every address a public page may point to: its own pages, their files by token, its styles.
PUBLIC_LINK = re.compile(r"^(/public/(feed/|\d{4}-[a-z0-9]{10}/(files/[A-Za-z0-9_-]{24}/)?)?|\?[^#]*|/static/[\w/.-]+"
                         r"|data:,|http://testserver/public/(\d{4}-[a-z0-9]{10}/|feed/)?)$")


@pytest.fixture
def anonymous():
    return Client()


def text_of(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def links(html: str) -> list[str]:
    document = lxml.html.fromstring(html)
    return [value for attribute in ("href", "src", "action") for value in document.xpath(f"//@{attribute}")]


def file_urls(html: str) -> list[str]:
    return [link for link in links(html) if "/files/" in link]


# ---------------------------------------------------------------- what goes out


def test_a_published_case_shows_its_particulars_dates_and_the_chosen_parts(story, anonymous):
    publication = story.publish()
    response = anonymous.get(f"/public/{publication.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    case = story.fresh()
    for shown in (PUBLIC["title"], PUBLIC["doc_number"], PUBLIC["opinion_text"], PUBLIC["redacted"],
                  PUBLIC["public_file"], PUBLIC["reporter"], "安阳市人民政府", "安阳市发展和改革委员会",
                  "安阳市人大常委会财经工作委员会", "市十四届人大常委会第十五次会议", "一、全力以赴抓好",
                  "二、超前谋划"):
        assert shown in html, shown
    document = lxml.html.fromstring(html)
    dates = document.xpath("//*[@data-testid='dates']")[0].text_content()
    for day in (case.issued_date, case.due_date, case.submitted_date, case.closed_date, date(2020, 8, 27)):
        assert day.isoformat() in dates
    evaluation = document.xpath("//*[@data-testid='evaluation']")[0].text_content()
    assert all(str(n) in evaluation for n in (36, 30, 4, 1))
    assert case.evaluations.get().get_result_display() in evaluation


def test_parts_left_out_do_not_go_out(story, anonymous):
    publication = story.publish(parts=[Part.ITEMS], attachments=[])
    html = anonymous.get(f"/public/{publication.slug}/").content.decode()
    assert "一、全力以赴抓好" in html
    for left_out in (PUBLIC["opinion_text"], PUBLIC["redacted"], SECRETS["original_report"], PUBLIC["public_file"],
                     'data-testid="evaluation"', 'data-testid="report"'):
        assert left_out not in html


def test_no_internal_field_person_or_id_appears_on_any_public_page(story, anonymous):
    publication = story.publish()
    case = story.fresh()
    pages = {url: anonymous.get(url) for url in ("/public/", f"/public/{publication.slug}/", "/public/feed/",
                                                 "/public/?year=2020&kind=plan_execution")}
    for url, response in pages.items():
        assert response.status_code == 200, url
        html = response.content.decode()
        for name, secret in SECRETS.items():
            assert secret not in html, (url, name)
        assert "/cases/" not in html
        assert "/api/" not in html
        assert "/admin/" not in html
        if url != "/public/feed/":
            assert [link for link in links(html) if not PUBLIC_LINK.match(link)] == [], url
    # Ids: the slug is the year and a random part, the files opaque tokens; no primary key is in any address.
    assert SLUG.match(publication.slug)
    assert str(case.pk) not in publication.slug.split("-")
    for published in PublishedFile.objects.all():
        assert str(published.attachment_id) not in published.token.split("-")


def test_the_redacted_text_goes_out_instead_of_the_report_and_the_original_is_never_shown(story, anonymous):
    publication = story.publish()
    html = anonymous.get(f"/public/{publication.slug}/").content.decode()
    assert PUBLIC["redacted"] in html
    assert SECRETS["original_report"] not in html


def test_a_redacted_file_without_text_goes_out_and_the_reports_own_text_does_not(story, anonymous):
    redacted = pdf("报告-脱敏版.pdf")
    publication = story.publish(redacted_text="", redacted_file=redacted)
    html = anonymous.get(f"/public/{publication.slug}/").content.decode()
    assert SECRETS["original_report"] not in html
    assert "报告-脱敏版.pdf" in html
    copy = PublishedFile.objects.get(role=PublishedFile.Role.REDACTED_REPORT)
    response = anonymous.get(f"/public/{publication.slug}/files/{copy.token}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_without_a_redacted_copy_the_report_goes_out_as_submitted(story, anonymous):
    publication = story.publish(redacted_text="")
    html = anonymous.get(f"/public/{publication.slug}/").content.decode()
    assert SECRETS["original_report"] in html
    assert 'data-testid="redacted"' not in html


def test_a_chosen_file_is_served_by_its_token_with_its_name_and_stored_type(story, anonymous):
    publication = story.publish()
    html = anonymous.get(f"/public/{publication.slug}/").content.decode()
    [url] = file_urls(html)
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"]


def test_a_file_not_chosen_is_absent_and_cannot_be_reached(story, anonymous):
    publication = story.publish()
    html = anonymous.get(f"/public/{publication.slug}/").content.decode()
    assert SECRETS["internal_file"] not in html
    assert not PublishedFile.objects.filter(attachment=story.internal_file).exists()
    # Guessing: a made-up token, a real token under another address, the staff's own download.
    assert anonymous.get(f"/public/{publication.slug}/files/{'A' * 24}/").status_code == 404
    token = PublishedFile.objects.get().token
    assert anonymous.get(f"/public/2020-aaaaaaaaaa/files/{token}/").status_code == 404
    internal = anonymous.get(f"/cases/attachments/{story.internal_file.pk}/")
    assert internal.status_code == 302
    assert "/accounts/login/" in internal["Location"]


def test_the_redacted_file_is_not_served_when_the_report_does_not_go_out(story, anonymous):
    publication = story.publish(parts=[Part.ITEMS], redacted_file=pdf("报告-脱敏版.pdf"))
    copy = PublishedFile.objects.get(role=PublishedFile.Role.REDACTED_REPORT)
    assert anonymous.get(f"/public/{publication.slug}/files/{copy.token}/").status_code == 404


# ---------------------------------------------------------------- nothing of an unpublished case


def test_after_unpublishing_no_public_url_shows_anything_of_the_case(story, anonymous):
    """Every public address there is, walked while the case is published and again after it is taken off."""
    publication = story.publish(redacted_file=pdf("报告-脱敏版.pdf"))
    detail = f"/public/{publication.slug}/"
    urls = ["/public/", "/public/?year=2020", "/public/?body=安阳市人民政府", "/public/?kind=plan_execution",
            "/public/?q=2020", "/public/?q=安人常", "/public/?year=2020&body=安阳市人民政府&kind=plan_execution",
            "/public/?page=1", "/public/feed/", detail]
    files = file_urls(anonymous.get(detail).content.decode())
    assert len(files) == 2  # the chosen file and the redacted copy
    urls += files
    marks = [PUBLIC["title"], publication.slug, PUBLIC["doc_number"], PUBLIC["redacted"], PUBLIC["public_file"],
             PUBLIC["opinion_text"], "报告-脱敏版.pdf"]
    before = {url: anonymous.get(url) for url in urls}
    assert all(response.status_code == 200 for response in before.values())
    assert PUBLIC["title"] in before["/public/?q=安人常"].content.decode()

    story.unpublish()
    for url in urls:
        response = anonymous.get(url)
        body = text_of(response)
        if url in (detail, *files):
            assert response.status_code == 404, url
            assert "no-store" in response["Cache-Control"]
        else:
            assert response.status_code == 200, url
        for mark in marks:
            assert mark not in body, (url, mark)


def test_a_case_marked_public_before_publications_were_kept_is_not_on_the_site(story, anonymous):
    services.case_publish(case=story.fresh(), actor=story.world.staff)
    assert PUBLIC["title"] not in anonymous.get("/public/").content.decode()
    assert PUBLIC["title"] not in anonymous.get("/public/feed/").content.decode()


# ---------------------------------------------------------------- the feed


def test_the_feed_is_atom_and_lists_only_what_is_published(story, world, make_case, anonymous):
    publication = story.publish()
    other = make_case(title="另一件未公布的审议意见")
    response = anonymous.get("/public/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id") is not None
    assert feed.find(f"{ATOM}updated") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == [PUBLIC["title"]]
    [entry] = entries
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/public/{publication.slug}/")
    assert entry.find(f"{ATOM}id").text.endswith(f"/public/{publication.slug}/")
    assert entry.find(f"{ATOM}author") is None
    assert other.title not in response.content.decode()

    story.unpublish()
    assert ET.fromstring(anonymous.get("/public/feed/").content).findall(f"{ATOM}entry") == []


# ---------------------------------------------------------------- the list and its filters


def test_the_list_filters_by_year_body_kind_and_words(story, anonymous):
    story.publish()
    assert PUBLIC["title"] in anonymous.get("/public/?year=2020&kind=plan_execution").content.decode()
    assert PUBLIC["title"] not in anonymous.get("/public/?kind=motion").content.decode()
    assert PUBLIC["title"] not in anonymous.get("/public/?q=不存在的词").content.decode()
    assert PUBLIC["title"] in anonymous.get("/public/?q=国民经济").content.decode()


@pytest.mark.parametrize("query", ["year=abc", "year=1.5", "year=1989", "year=99999999999999999999",
                                   "body=不存在的单位", "kind=explode", "q=" + "长" * 51])
def test_a_made_up_filter_or_a_long_search_is_refused(story, anonymous, query):
    story.publish()
    assert anonymous.get(f"/public/?{query}").status_code == 400


@pytest.mark.parametrize("page", ["2", "0", "abc", "99999999999999999999"])
def test_a_page_past_the_end_is_not_found(story, anonymous, page):
    story.publish()
    assert anonymous.get(f"/public/?page={page}").status_code == 404


def test_pages_cost_a_constant_number_of_queries(story, world, make_case, anonymous, django_assert_max_num_queries):
    publication = story.publish()
    with django_assert_max_num_queries(5):
        anonymous.get("/public/?q=" + "国" * 50 + "&year=2020")
    with django_assert_max_num_queries(9):
        anonymous.get(f"/public/{publication.slug}/")


def test_an_unknown_address_under_public_is_the_public_sites_not_found(anonymous):
    for url in ("/public/2020-aaaaaaaaaa/", "/public/nothing/", "/public/1/"):
        response = anonymous.get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert "/cases/" not in html
        assert "csrfmiddlewaretoken" not in html


# ---------------------------------------------------------------- the internet in front


def test_public_pages_set_no_cookie_need_no_csrf_and_may_be_cached(story, anonymous):
    publication = story.publish()
    for url in ("/public/", f"/public/{publication.slug}/", "/public/feed/"):
        response = anonymous.get(url)
        assert response.cookies == {}, url
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert response["Cache-Control"] == "public, max-age=60"
        assert "Cookie" not in response.get("Vary", "")


def test_a_signed_in_person_sees_the_same_public_page(story, client, anonymous):
    publication = story.publish()
    client.force_login(story.world.staff)
    assert client.get(f"/public/{publication.slug}/").content == anonymous.get(f"/public/{publication.slug}/").content


def test_only_reading_is_allowed(story, anonymous):
    publication = story.publish()
    assert anonymous.post("/public/").status_code == 405
    assert anonymous.post(f"/public/{publication.slug}/").status_code == 405


def test_too_many_requests_from_one_address_get_a_429(story, anonymous, settings):
    publication = story.publish()
    settings.PUBLIC_RATE_LIMIT = "3/min"
    answers = [anonymous.get(url).status_code for url in ("/public/", f"/public/{publication.slug}/",
                                                          "/public/feed/", "/public/")]
    assert answers == [200, 200, 200, 429]
    refused = anonymous.get("/public/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "no-store" in refused["Cache-Control"]
    assert Client(REMOTE_ADDR="10.0.0.2").get("/public/").status_code == 200  # another address has its own count


@pytest.mark.parametrize(("rate", "parsed"), [("120/min", (120, 60)), ("5/s", (5, 1)), ("1000/day", (1000, 86400)),
                                               ("", None), ("0/min", None), (None, None)])
def test_the_rate_limit_setting_is_read(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["120", "120/fortnight", "many/min", "/min"])
def test_a_rate_limit_that_cannot_be_read_stops_the_server_instead_of_every_page(rate):
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_RATE_LIMIT"):
        parse_rate(rate)
