"""Publishing as a step of the case page and the API: the opinions registry's `publish` and `unpublish` steps, done
the public app's way (opinions.actions.replace_case_action). Same buttons, same endpoints, same workflow actions."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext

from opinions import forms as opinion_forms
from opinions.actions import replace_case_action
from opinions.models import Attachment
from opinions.selectors import belonging_to

from . import services
from .forms import PublishForm
from .models import DEFAULT_PARTS, Publication, PublishedFile


def public_url(publication: Publication) -> str:
    return reverse("public:detail", args=[publication.slug])


def _earlier(case) -> Publication | None:
    return Publication.objects.filter(case=case).first()


def _publish(case, actor, data):
    return services.publication_publish(
        case=case, actor=actor, parts=data.get("parts"), attachments=data.get("attachments") or (),
        redacted_text=data.get("redacted_text", ""), redacted_file=data.get("redacted_file"),
        drop_redacted_file=bool(data.get("drop_redacted_file")))


def _unpublish(case, actor, data):
    return services.publication_unpublish(case=case, actor=actor, reason=data["reason"])


def _initial(case) -> dict:
    """As published last time; the first time every part, no file, and the report's text to edit from."""
    earlier = _earlier(case)
    if earlier is not None:
        return {"parts": sorted(earlier.parts), "redacted_text": earlier.redacted_text,
                "attachments": list(earlier.files.filter(role=PublishedFile.Role.ATTACHMENT)
                                    .values_list("attachment", flat=True))}
    report = services.report_to_publish(case)
    return {"parts": sorted(DEFAULT_PARTS), "redacted_text": report.text if report else ""}


def _adapt(form, case) -> None:
    """Only this case's files are offered; without files, or without a redacted file published before, the field
    that would choose among them is left out."""
    files = belonging_to(case, Attachment).order_by("uploaded_at", "pk")
    if files.exists():
        form.fields["attachments"].queryset = files
    else:
        form.fields.pop("attachments")
    earlier = _earlier(case)
    if earlier is None or not earlier.files.filter(role=PublishedFile.Role.REDACTED_REPORT).exists():
        form.fields.pop("drop_redacted_file")


def _publish_intro(case) -> str:
    earlier = _earlier(case)
    if earlier is not None and earlier.unpublished_at:
        return gettext("Taken off the public site on %(date)s: %(reason)s. Published again, it keeps its address "
                       "%(url)s.") % {"date": formats.date_format(earlier.unpublished_at, "Y-m-d"),
                                      "reason": earlier.unpublish_reason, "url": public_url(earlier)}
    return gettext("The public site (no login) will show what you choose below; nothing else of the case goes out.")


def _unpublish_intro(case) -> str:
    earlier = _earlier(case)
    if earlier is None or earlier.unpublished_at:
        return gettext("Marked public before what goes out was chosen: it is not on the public site.")
    return gettext("On the public site since %(date)s at %(url)s. Taking it off hides it at once; it can be "
                   "published again.") % {"date": formats.date_format(earlier.published_at, "Y-m-d"),
                                          "url": public_url(earlier)}


def _published(publication: Publication) -> str:
    return gettext("Published at %(url)s.") % {"url": public_url(publication)}


def install() -> None:
    replace_case_action(
        "publish", form=PublishForm, run=_publish, initial=_initial, adapt=_adapt, intro=_publish_intro,
        done_with=_published,
        description=("向社会公布: publishes the case on the public site (`/public/`, no login) with what is chosen to "
                     "go out: `parts` (left out: every part), `attachments` (ids of the case's files; none unless "
                     "chosen), and the report as a redacted copy — `redacted_text` goes out instead of the report's "
                     "text, which is then never shown; `redacted_file` (multipart) is a redacted file, and without "
                     "`redacted_text` the report's own text does not go out. 409 `wrong_status` when the case is "
                     "already published (unpublish it first)."))
    replace_case_action("unpublish", form=opinion_forms.ReasonForm, run=_unpublish, intro=_unpublish_intro)
