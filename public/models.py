"""What a publication (向社会公布) puts out: one per case, the parts and files the staff chose, and a redacted copy
of the report where the original must not go out (监督法 art. 17/29/37; domain.md §8).

Writes go through public.services; the public site reads only through public.selectors."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opinions.models import Attachment, Case, Report

USER = settings.AUTH_USER_MODEL


class Part(models.TextChoices):
    """What may go out besides the particulars every publication shows (title, document number, kind, meeting, the
    report heard and its reporter, the bodies, the supervising committee, and the dates)."""

    OPINION_TEXT = "opinion_text", _("Full text of the opinion")
    ITEMS = "items", _("The opinion's items, each with its state")
    REPORT = "report", _("The body's report (or its redacted copy)")
    EVALUATION = "evaluation", _("The satisfaction evaluation (满意度测评)")


DEFAULT_PARTS = frozenset(Part)  # the law asks for the opinion and the report; the staff may leave parts out
PART_FIELDS = {Part.OPINION_TEXT: "shows_opinion_text", Part.ITEMS: "shows_items", Part.REPORT: "shows_report",
               Part.EVALUATION: "shows_evaluation"}


class PublicationQuerySet(models.QuerySet):
    def live(self) -> "PublicationQuerySet":
        """On the public site now: published, not taken off since, and the case itself public (both are written
        together by the services; either alone hides it)."""
        return self.filter(case__is_public=True, published_at__isnull=False, unpublished_at__isnull=True)


class Publication(models.Model):
    """A case as the public sees it. Its address is the year and a random part, never the case's id: it says
    nothing about the case's place among the others, or how many there are."""

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="publication")
    slug = models.CharField(_("public address"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    shows_opinion_text = models.BooleanField(_("full text of the opinion goes out"), default=True)
    shows_items = models.BooleanField(_("items go out"), default=True)
    shows_report = models.BooleanField(_("report goes out"), default=True)
    shows_evaluation = models.BooleanField(_("evaluation goes out"), default=True)
    # The body's final report as accepted when published: the one a redacted copy stands for.
    report = models.ForeignKey(Report, verbose_name=_("report"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", editable=False)
    redacted_text = models.TextField(
        _("report text as published"), blank=True,
        help_text=_("When given, this text goes out instead of the report as submitted, which is never shown."))
    published_at = models.DateTimeField(_("published at"), null=True, editable=False)
    published_by = models.ForeignKey(USER, verbose_name=_("published by"), null=True, on_delete=models.SET_NULL,
                                     related_name="+", editable=False)
    unpublished_at = models.DateTimeField(_("taken off at"), null=True, blank=True, editable=False)
    unpublished_by = models.ForeignKey(USER, verbose_name=_("taken off by"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+", editable=False)
    unpublish_reason = models.TextField(_("why it was taken off"), blank=True, editable=False)
    history = HistoricalRecords()

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["year", "published_at"], name="publication_year_idx"),
                   models.Index(fields=["published_at"], name="publication_recent_idx")]

    def __str__(self):
        return self.slug

    @property
    def parts(self) -> frozenset[Part]:
        return frozenset(part for part, field in PART_FIELDS.items() if getattr(self, field))


def published_file_path(instance, filename: str) -> str:
    return f"public/{filename}"


class PublishedFile(models.Model):
    """A file that goes out with a publication, reached by an opaque token: one of the case's files the staff chose
    (every other file stays internal), or the redacted copy of the report they uploaded for the public."""

    class Role(models.TextChoices):
        ATTACHMENT = "attachment", _("A file of the case")
        REDACTED_REPORT = "redacted_report", _("Redacted copy of the report")

    publication = models.ForeignKey(Publication, verbose_name=_("publication"), on_delete=models.PROTECT,
                                    related_name="files")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token = models.CharField(_("token"), max_length=32, unique=True, editable=False)
    attachment = models.ForeignKey(Attachment, verbose_name=_("attachment"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=published_file_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("published file")
        verbose_name_plural = _("published files")
        ordering = ["role", "pk"]
        constraints = [
            # A chosen file of the case, or an uploaded copy: never both, never neither.
            models.CheckConstraint(
                name="published_file_one_source",
                condition=(Q(role="attachment", attachment__isnull=False, file="")
                           | Q(role="redacted_report", attachment__isnull=True) & ~Q(file=""))),
            models.UniqueConstraint(fields=["publication", "attachment"], name="published_attachment_once"),
            models.UniqueConstraint(fields=["publication"], condition=Q(role="redacted_report"),
                                    name="one_redacted_report_file"),
        ]

    def __str__(self):
        return self.original_name

    def open(self):
        return (self.attachment.file if self.attachment_id else self.file).open("rb")
