"""Who is who: the bodies the Standing Committee supervises, its own committees, and people's memberships.

Cases belong to bodies, never to people: liaisons change, the case stays with the body (domain.md §1, §3).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from simple_history.models import HistoricalRecords


class BodyKind(models.TextChoices):
    GOVERNMENT = "government", _("People's government")
    DEPARTMENT = "department", _("Government department")
    SUPERVISORY_COMMISSION = "supervisory_commission", _("Supervisory commission")
    COURT = "court", _("Court")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    OTHER = "other", _("Other")


class Body(models.Model):
    """A supervised body (一府一委两院 and the government's departments)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent body"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    leader_name = models.CharField(_("leader"), max_length=50, blank=True)
    leader_email = models.EmailField(_("leader's e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.short_name or self.name


class CommitteeKind(models.TextChoices):
    SPECIAL = "special", _("Special committee")
    WORKING = "working", _("Working committee")
    OFFICE = "office", _("General office")
    APPRAISAL_GROUP = "appraisal_group", _("Appraisal working group")


class Committee(models.Model):
    """A committee or working body of the People's Congress (专门委员会, 工作委员会, 办公室, 评议工作组)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=CommitteeKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.short_name or self.name


class MembershipRole(models.TextChoices):
    STAFF = "staff", _("Committee staff")
    LIAISON = "liaison", _("Liaison")
    LEADER = "leader", _("Leadership")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    """One role of one person: staff of a committee, liaison of a body, leadership or administrator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices)
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="memberships",
    )
    body = models.ForeignKey(
        Body, verbose_name=_("body"), null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role="staff", committee__isnull=False, body__isnull=True)
                    | Q(role="liaison", body__isnull=False, committee__isnull=True)
                    | Q(role__in=["leader", "admin"], body__isnull=True, committee__isnull=True)
                ),
                violation_error_message=_(
                    "Committee staff need a committee, liaisons need a body, "
                    "leadership and administrators need neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "committee"], condition=Q(role="staff"), name="unique_staff_membership"
            ),
            models.UniqueConstraint(
                fields=["user", "body"], condition=Q(role="liaison"), name="unique_liaison_membership"
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(role__in=["leader", "admin"]), name="unique_global_membership"
            ),
        ]

    def __str__(self):
        scope = self.committee or self.body
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")


class ApiToken(AbstractAuthToken):
    """A personal API token (knox: only a hash is stored; it expires and can be revoked). The name says what uses
    it, e.g. "大屏" or "市政府督办系统", so its owner knows which one to revoke."""

    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]
