"""HTTP responses the pages and the API both send."""

from django.http import FileResponse

from .models import Attachment, CaseDocument


def file_response(attachment: Attachment | CaseDocument) -> FileResponse:
    """The file as stored, under its original name; `nosniff` so a browser never runs it as something else."""
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
