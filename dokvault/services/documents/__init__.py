"""Documents: streaming intake (intake, uploads), processing (processing, attachments)
and reading them for a person, scoped to what they may see (library)."""

from dokvault.services.documents import (
    attachments,
    intake,
    library,
    list_filters,
    processing,
    quotas,
    retry,
    uploads,
)
from dokvault.services.documents.intake import (
    IncomingFile,
    RowWriter,
    UnsettledObject,
    already_stored,
    clean_temp_files,
    file_sha256,
    ingest_path,
    ingest_spooled,
    ingest_stream,
    settle_object,
    temp_dir,
)
from dokvault.services.documents.library import (
    DocumentRow,
    Related,
    SearchResult,
    delete_forever,
    document_text,
    find_documents,
    fingerprint,
    get_document,
    list_documents,
    note_download,
    note_refused,
    pending_count,
    related,
    restore_document,
    search_documents,
    searchable_name,
    trash_document,
)
from dokvault.services.documents.list_filters import ListFilter
from dokvault.services.documents.processing import (
    process_document,
    reindex_stale,
    requeue_pending,
    requeue_stuck,
    unclassified,
    with_attachments,
)
from dokvault.services.documents.retry import RETRYABLE, Retried, retry_documents, retry_failed

__all__ = [
    "RETRYABLE", "DocumentRow", "IncomingFile", "ListFilter", "Related", "Retried", "RowWriter",
    "SearchResult", "UnsettledObject", "list_filters",
    "already_stored", "attachments", "clean_temp_files", "delete_forever", "document_text",
    "file_sha256", "find_documents", "fingerprint", "get_document", "ingest_path",
    "ingest_spooled", "ingest_stream", "intake", "library", "list_documents", "note_download",
    "note_refused", "pending_count",
    "process_document", "processing", "quotas", "reindex_stale", "related", "requeue_pending",
    "requeue_stuck", "restore_document", "retry", "retry_documents", "retry_failed", "search_documents",
    "searchable_name", "settle_object", "temp_dir", "trash_document", "unclassified", "uploads",
    "with_attachments",
]
