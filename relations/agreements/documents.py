"""Serving an agreement's signed document."""

from pathlib import PurePath

from django.http import FileResponse, Http404


def document_response(agreement) -> FileResponse:
    """The signed document as a download; 404 when there is none or its file is gone."""
    if not agreement.document:
        raise Http404("This agreement has no signed document.")
    try:
        handle = agreement.document.open("rb")
    except FileNotFoundError:
        raise Http404("The signed document's file is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=PurePath(agreement.document.name).name)
