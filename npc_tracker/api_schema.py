"""The OpenAPI schema's shared parts: one documented shape for every refusal, the codes it can carry, stable names
(design.md rule 14). Apart from npc_tracker.api: drf-spectacular imports DRF's generic views, which import the
pagination class named in the settings."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

# Every `code` an error answer can carry. A test checks that whatever the code raises is listed here.
ERROR_CODES = {
    "invalid": "A field's value is not valid (see `fields`).",
    "unknown_field": "A field the server does not read (misspelt, or not part of this operation).",
    "read_only": "A field the server shows but does not take here.",
    "parse_error": "The body is not valid JSON.",
    "rule_syntax": "The deadline rule cannot be read.",
    "invalid_choice": "Not one of the allowed values.",
    "calendar_missing": "A working-day calendar year the deadline needs has not been entered.",
    "no_next_session": "No next Standing Committee session is registered to count to.",
    "invalid_extension": "The proposed date cannot extend this deadline.",
    "deadline_error": "The deadline cannot be computed.",
    "not_found": "No such object (400: a channel that is not yours; 404: a route or an object you cannot see).",
    "disabled": "The channel is switched off.",
    "not_authenticated": "No session or token was sent.",
    "authentication_failed": "The token or session is not valid (expired or revoked).",
    "not_allowed": "Your role may not do this on this case.",
    "wrong_role": "Your role may not take this step in the case's current status.",
    "permission_denied": "Your role may not use this operation.",
    "method_not_allowed": "The route does not take this method.",
    "not_acceptable": "The server cannot answer in the media type asked for.",
    "precondition_failed": "The object changed since you read it (`If-Match` names an older ETag): read it again.",
    "unsupported_media_type": "The body's media type is not one this operation reads (JSON; multipart for files).",
    "wrong_status": "The step is not possible in the case's (or item's, or report's) current status.",
    "invalid_rows": "An imported file has wrong rows: nothing was imported; `rows` lists each error by row and "
                    "column.",
    "no_problems": "The audit rectification case has no audit problems yet: there is nothing to report.",
    "too_many_problems": "The case lists more problems than one report can hold.",
    "wrong_kind": "The step belongs to another kind of case (audit problems go on an audit rectification case).",
    "items_open": "Items are neither verified nor carried over: the report cannot be accepted, nor the case closed.",
    "consultation_required": "The rule set requires the draft report to be commented on (征求意见) before the "
                             "written report.",
    "invalid_votes": "The vote counts do not add up (more votes than entitled to vote, none at all…).",
    "no_quorum": "Not more than half of all members were present at the meeting: it cannot vote.",
    "attendance_missing": "The vote needs the meeting's members or members present, which are not recorded.",
    "unknown_action": "No such workflow step.",
    "signoff_required": "The rule set asks for a sign-off (审签) before the draft is issued: send it for sign-off.",
    "signoff_not_required": "The rule set names nobody to sign off this kind's drafts: issue them directly.",
    "wrong_signoff_state": "The draft is not at this point of its sign-off (already sent, or not sent yet).",
    # The draft page's deadline (its preview answers in the same shape): which part of the choice is wrong.
    "invalid_number": "N is not a whole number from 1 to 999.",
    "number_missing": "The chosen way of counting needs N.",
    "invalid_date": "The date is not a valid YYYY-MM-DD date.",
    "date_missing": "The chosen way of counting needs a date.",
    "invalid_default": "The preselected default came back malformed: reload the page.",
    "no_rule": "The rule set sets no time limit for this kind and none was chosen: no due date.",
    "refused": "A business rule refused the request (see `detail`).",
    "no_pending_report": "There is no report awaiting review.",
    "no_pending_extension": "There is no extension request awaiting a decision.",
    "extension_pending": "An extension request is already awaiting a decision.",
    "already_decided": "The extension request has already been decided.",
    "no_due_date": "The case has no due date.",
    "too_late": "Too late: the due date has passed.",
    "calendar_exists": "The calendar year already has entries.",
    "throttled": "Too many requests: wait the seconds in `Retry-After`.",
    "bad_request": "The request could not be taken at all (e.g. a Host name this server does not serve).",
    "server_error": "Something failed on the server; nothing was changed. Try again, or tell the administrator.",
}


ERROR_CODE_CHOICES = list(ERROR_CODES)


class ErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ERROR_CODE_CHOICES, help_text="Machine-readable; never translated.")
    detail = serializers.CharField(help_text="For people, in the request's language (`Accept-Language`).")


class ValidationErrorSerializer(ErrorSerializer):
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each refused field with its messages; nested input by dotted path (`items.0.heading`); "
                  "`non_field_errors` for the body as a whole.")


ERROR_RESPONSES = {
    "400": "Invalid input: `fields` names each refused field with its messages; `code` says which rule.",
    "401": "No valid session or token (send `Authorization: Token …`).",
    "403": "Authenticated, but your role may not do this here.",
    "404": "No such object, or not visible to you.",
    "429": "Too many requests: wait the number of seconds in `Retry-After`.",
}
# Only operations that change something can meet a state refusal, a stale ETag or a body they cannot read.
WRITE_ERROR_RESPONSES = {
    "409": "Refused now because of where the case stands (e.g. `wrong_status`, `items_open`).",
    "412": "`If-Match` names an ETag that is no longer current: read the object again.",
    "415": "The body's media type is not one this operation reads (see its request body).",
}


class AutoSchema(SpectacularAutoSchema):
    """Every operation documents the refusals every operation can give, with their one shape, so generated clients
    (and the schema fuzzing) parse error answers as well as successful ones."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            errors = {**ERROR_RESPONSES, **(WRITE_ERROR_RESPONSES if self.method in ("POST", "PUT", "PATCH") else {})}
            # Refusals an operation declares beyond those (a download's 409) get the one shape too.
            declared = {code: "" for code in responses if code.startswith("4") and code not in errors}
            for code, description in {**errors, **declared}.items():
                shape = ValidationErrorSerializer if code == "400" else ErrorSerializer
                description = responses.get(code, {}).get("description") or description
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=shape, description=description), code, direction=direction)
        return responses
