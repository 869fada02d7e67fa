"""Office documents: safe reading, text extraction, inspection, rendering, scrubbing.

Shared by the graders, the review app and the runner. Every entry point vets the file
with :func:`check_file` first and raises :class:`DocumentError` (a ``UserError``) for a
file that cannot be handled safely.
"""

from core.documents.extract import Extraction, extract_text
from core.documents.inspect import DocInfo, inspect_document
from core.documents.office import (
    INSTALL_OFFICE,
    OFFICE_MISSING,
    OfficeMissingError,
    RenderError,
    soffice_path,
    uno_python,
)
from core.documents.render import Renderer, get_renderer, set_default_renderer
from core.documents.safety import DocumentError, Limits, check_file
from core.documents.scrub import scrub_copy
from core.documents.self_id import Finding, self_identification

__all__ = [
    "DocInfo",
    "DocumentError",
    "Extraction",
    "Finding",
    "INSTALL_OFFICE",
    "Limits",
    "OFFICE_MISSING",
    "OfficeMissingError",
    "RenderError",
    "Renderer",
    "check_file",
    "extract_text",
    "get_renderer",
    "inspect_document",
    "scrub_copy",
    "self_identification",
    "set_default_renderer",
    "soffice_path",
    "uno_python",
]
