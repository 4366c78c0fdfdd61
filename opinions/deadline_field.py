"""The draft's deadline as staff say it (issue 14 §7): 三个月内, 十个工作日内, 指定日期前, 年底前 … — a choice of kind
plus a number or a date, which the form turns into the compact rule text the services and the API take (months:3,
workdays:10, date:2026-12-31, year_end …; deadlines.Rule). The engine's parser stays the one judge of a rule: this
module only assembles its text from the parts and takes a stored text apart again.

"""

import contextlib
import re
import unicodedata
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import deadlines
from .choices import CaseKind
from .errors import from_deadline_error
from .models import Meeting


class DeadlineKind(models.TextChoices):
    """How the deadline is counted, in the words of the opinions; the values are deadlines.Rule kinds."""

    DEFAULT = "", _("The rule set's default")
    MONTHS = "months", _("Within N months")
    DAYS = "days", _("Within N days")
    WORKDAYS = "workdays", _("Within N working days")
    DATE = "date", _("By a given date")
    YEAR_END = "year_end", _("By the end of the year")
    DECEMBER_SESSION = "december_session", _("N days before the December Standing Committee session")
    BEFORE_MEETING = "before_meeting", _("N days before the meeting that hears the report")
    PERIODIC = "periodic", _("Every N months until a date (periodic reports)")
    NEXT_SESSION = "next_session", _("At the next Standing Committee session")
    # A stored rule none of the choices above expresses (it should not happen): shown and kept as its text.
    AS_WRITTEN = "text", _("Other (the rule as written)")


# The kinds whose rule carries N (the others take a date, or nothing).
NEEDS_NUMBER = frozenset({DeadlineKind.MONTHS, DeadlineKind.DAYS, DeadlineKind.WORKDAYS,
                          DeadlineKind.DECEMBER_SESSION, DeadlineKind.BEFORE_MEETING, DeadlineKind.PERIODIC})
NEEDS_DATE = frozenset({DeadlineKind.DATE, DeadlineKind.PERIODIC})
# The parts of the field, in the order of its inputs: kind, N, date, the rule as written (only for a rule the choices
# cannot express), and the rule set's default the page preselected (hidden; see DeadlineRuleField).
PARTS = ("kind", "n", "date", "text", "default")
MAX_RULE_LENGTH = 40  # Case.deadline_rule


def rule_parts(text: str, default: str = "") -> list[str]:
    """A stored rule taken apart for the inputs: ["months", "3", "", "", default] for months:3. `default`: the rule
    set's default the page preselects; it rides along only when it is what is shown."""
    text = (text or "").strip()
    if not text:
        return ["", "", "", "", ""]
    try:
        rule = deadlines.Rule.parse(text)
    except deadlines.RuleSyntaxError:
        return [DeadlineKind.AS_WRITTEN, "", "", text, ""]
    if rule.kind not in DeadlineKind.values:
        return [DeadlineKind.AS_WRITTEN, "", "", text, ""]
    marker = default if default and _normalized(default) == str(rule) else ""
    return [rule.kind, str(rule.n) if rule.n is not None else "", rule.fixed.isoformat() if rule.fixed else "", "",
            marker]


def _normalized(text: str) -> str | None:
    try:
        return str(deadlines.Rule.parse(text))
    except deadlines.RuleSyntaxError:
        return None


def rule_words(text: str, lang: str = "zh") -> str:
    """A rule as the opinions say it: 三个月内, 十个工作日内, 2026-12-31 前, 年底前 (the text itself if unreadable)."""
    try:
        rule = deadlines.Rule.parse(text)
    except deadlines.RuleSyntaxError:
        return text
    label = rule.label(lang)
    if rule.kind in ("months", "days", "workdays"):
        return f"{label}内" if lang == "zh" else f"within {label}"
    return label


def _plain(value) -> str:
    # Full-width digits and hyphens are what a Chinese input method may type; NFKC makes them ASCII.
    return unicodedata.normalize("NFKC", str(value or "")).strip()


def _choice_label(kind: str) -> str:
    return str(DeadlineKind(kind).label)


def rule_text_from(parts) -> str:
    """The compact rule text of the parts, or a ValidationError naming every part that is wrong, in the page's
    language. Parts the kind does not use are still checked when filled in: a malformed value is refused, never
    silently dropped."""
    kind, n, day, text, default = ([*parts, "", "", "", "", ""] if isinstance(parts, list | tuple) else [])[:5]
    kind, n, day, text, default = (_plain(kind), _plain(n), _plain(day), str(text or "").strip(),
                                   str(default or "").strip())
    errors = []
    if kind not in DeadlineKind.values:
        errors.append(ValidationError(_("Choose how the deadline is counted."), code="invalid_choice"))
    count = None
    if n:
        if re.fullmatch(r"[0-9]{1,3}", n) and 1 <= int(n) <= deadlines.MAX_N:
            count = int(n)
        else:
            errors.append(ValidationError(_("N must be a whole number from 1 to 999."), code="invalid_number"))
    elif kind in NEEDS_NUMBER:
        errors.append(ValidationError(_("Enter N for “%(choice)s”: a whole number from 1 to 999."),
                                      code="number_missing", params={"choice": _choice_label(kind)}))
    fixed = None
    if day:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day):
            with contextlib.suppress(ValueError):
                fixed = date.fromisoformat(day)
        if fixed is None:
            errors.append(ValidationError(_("The date is not valid: write it as YYYY-MM-DD, e.g. 2026-12-31."),
                                          code="invalid_date"))
    elif kind in NEEDS_DATE:
        errors.append(ValidationError(_("Choose the date for “%(choice)s”."), code="date_missing",
                                      params={"choice": _choice_label(kind)}))
    if default and _normalized(default) is None:
        errors.append(ValidationError(_("The deadline was sent malformed: reload the page and try again."),
                                      code="invalid_default"))
    if kind == DeadlineKind.AS_WRITTEN:
        # No rule is longer than the column; a longer text is refused without being echoed in full.
        shown = text if len(text) <= MAX_RULE_LENGTH else text[:MAX_RULE_LENGTH] + "…"
        try:
            rule = deadlines.Rule.parse(shown)
        except deadlines.RuleSyntaxError as exc:
            errors.append(ValidationError(from_deadline_error(exc).message, code=exc.code))
    if errors:
        raise ValidationError(errors)
    if kind == DeadlineKind.DEFAULT:
        return ""
    if kind != DeadlineKind.AS_WRITTEN:
        try:
            rule = deadlines.Rule(kind, n=count if kind in NEEDS_NUMBER else None,
                                  fixed=fixed if kind in NEEDS_DATE else None)
        except deadlines.RuleSyntaxError as exc:  # e.g. a periodic interval over 120 months
            raise ValidationError(from_deadline_error(exc).message, code=exc.code) from exc
    compact = str(rule)
    # Left as the page preselected it: the rule set's default, whatever kind the case now has (without JavaScript
    # the page could not follow a change of kind; the service applies the default of the kind saved).
    return "" if default and compact == _normalized(default) else compact


class DeadlineRuleWidget(forms.MultiWidget):
    """A select of the ways staff say a deadline, a number N and a date; deadline_rule.js shows the part the chosen
    kind needs, follows the rule set's default when the case's kind changes, and asks for a preview."""

    use_fieldset = False

    def __init__(self, attrs=None):
        number = forms.NumberInput(attrs={"min": 1, "max": deadlines.MAX_N, "step": 1, "inputmode": "numeric",
                                          "class": "deadline-n"})
        day = forms.DateInput(attrs={"type": "date", "class": "deadline-date"}, format="%Y-%m-%d")
        text = forms.TextInput(attrs={"maxlength": MAX_RULE_LENGTH, "autocomplete": "off", "class": "deadline-text"})
        super().__init__({"kind": forms.Select(choices=DeadlineKind.choices, attrs={"class": "deadline-kind"}),
                          "n": number, "date": day, "text": text, "default": forms.HiddenInput}, attrs)

    def decompress(self, value):
        return rule_parts(value or "")

    def value_from_datadict(self, data, files, name):
        if name in data and not any(f"{name}_{part}" in data for part in PARTS):
            return rule_parts(data.get(name) or "")  # the compact text itself (what the form took before)
        return super().value_from_datadict(data, files, name)

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        kind_widget, *_rest = subwidgets = context["widget"]["subwidgets"]
        kind = str((kind_widget.get("value") or [""])[0])
        if kind != DeadlineKind.AS_WRITTEN:
            # The rule as written is offered only to show a stored rule the choices cannot express.
            kind_widget["optgroups"] = [
                (group, [option for option in options if option["value"] != DeadlineKind.AS_WRITTEN], index)
                for group, options, index in kind_widget["optgroups"]]
            subwidgets[3] = None
        context["widget"]["kind"] = kind
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        kind_widget, number, day, text, default = context["widget"]["subwidgets"]

        def html(widget):
            return self._render(widget["template_name"], {"widget": widget}, renderer)

        def part(key, label, widget):
            return format_html('<label class="deadline-part" data-rule-part="{}"><span>{}</span> {}</label>', key,
                               label, html(widget))

        pieces = [html(kind_widget), part("n", "N", number), part("date", _("Date"), day)]
        if text is not None:
            pieces.append(part("text", _("Rule as written"), text))
        pieces.append(html(default))
        return format_html('<span class="deadline-rule" data-deadline-rule>{}</span>', mark_safe(" ".join(pieces)))


class DeadlineRuleField(forms.Field):
    """The compact rule text from the parts (rule_text_from). An empty text means the rule set's default for the
    case's kind, as the services take it; so does the default the page preselected, left as it was (PARTS)."""

    widget = DeadlineRuleWidget

    def to_python(self, value) -> str:
        if value is None or isinstance(value, str):
            value = rule_parts(value or "")
        return rule_text_from(value)


# ---------------------------------------------------------------- the preview's input

PREVIEW_PARAMETERS = frozenset({"kind", "anchor", "meeting", "deadline_rule",
                                *(f"deadline_rule_{part}" for part in PARTS)})
# The anchor of a preview: any day a case could plausibly be issued or received on.
ANCHOR_RANGE = (date(2000, 1, 1), date(2099, 12, 31))


class DeadlinePreviewForm(forms.Form):
    """What the draft page sends to preview a due date: the case's kind, the deadline's parts (as the draft form
    names them), the day counted from (today when left out) and the case's meeting (where the rule set counts from
    the end of the meeting)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    deadline_rule = DeadlineRuleField(label=_("Deadline rule"), required=False)
    anchor = forms.DateField(label=_("Counted from"), required=False, input_formats=["%Y-%m-%d"])
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.all(), required=False)

    def clean_anchor(self):
        anchor = self.cleaned_data["anchor"]
        if anchor is not None and not ANCHOR_RANGE[0] <= anchor <= ANCHOR_RANGE[1]:
            raise ValidationError(_("Choose a day from %(first)s to %(last)s."),
                                  params={"first": ANCHOR_RANGE[0].isoformat(), "last": ANCHOR_RANGE[1].isoformat()})
        return anchor


def explanation_language() -> str:
    """The language DueDate.explain and Rule.label speak: the page's."""
    return "en" if (get_language() or "").startswith("en") else "zh"
