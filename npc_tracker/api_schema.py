"""The OpenAPI schema's shared parts. Apart from npc_tracker.api: drf-spectacular imports DRF's generic views,
which import the pagination class named in the settings."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

ERROR_RESPONSES = {
    "400": "Invalid input: each field with its messages, or `non_field_errors`; `code` says which rule.",
    "401": "No valid session or token (send `Authorization: Token …`).",
    "403": "Authenticated, but your role may not do this here.",
    "404": "No such object, or not visible to you.",
    "429": "Too many requests: wait the number of seconds in `Retry-After`.",
}
# Only operations that read a body can refuse its media type.
BODY_ERROR_RESPONSES = {
    "415": "The body's media type is not one this operation reads (see its request body), or it is unreadable.",
}
ERROR_BODY = {"type": "object", "additionalProperties": True,
              "properties": {"detail": {"type": "string"}, "code": {"type": "string"}}}


class AutoSchema(SpectacularAutoSchema):
    """Every operation documents the refusals every operation can give, so clients (and the schema fuzzing) can
    rely on the schema for error answers too."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            errors = {**ERROR_RESPONSES, **(BODY_ERROR_RESPONSES if self.method in ("POST", "PUT", "PATCH") else {})}
            for code, description in errors.items():
                responses.setdefault(code, {"description": description,
                                            "content": {"application/json": {"schema": ERROR_BODY}}})
        return responses
