"""Documents from everywhere: cloud drives (Google Drive, OneDrive, Nextcloud, WebDAV) and the
organisation's network share - connections with sealed credentials, browsing, imports and
exports file by file, folders kept in sync - and web import through Firecrawl."""

from dokvault.services.drives import actions, connections, credentials, oauth, sync, transfers, web
from dokvault.services.drives.actions import (
    ItemView,
    TransferView,
    browse,
    export_documents,
    import_files,
    import_folder,
    recent_transfers,
    retry_failed,
)
from dokvault.services.drives.connections import (
    ConnectionView,
    DriveInputError,
    connect_with_password,
    list_connections,
    remove_connection,
    share_configured,
    test_connection,
)
from dokvault.services.drives.sync import (
    SyncView,
    keep_in_sync,
    list_syncs,
    requeue_at_start,
    stop_sync,
    sync_folder,
    sync_now,
)
from dokvault.services.drives.sync import tick as sync_tick
from dokvault.services.drives.transfers import run_transfer
from dokvault.services.drives.web import WebImportView, WebInputError
from dokvault.services.drives.web import run as run_web_import

__all__ = [
    "ConnectionView", "DriveInputError", "ItemView", "SyncView", "TransferView", "WebImportView",
    "WebInputError", "actions", "browse", "connect_with_password", "connections", "credentials",
    "export_documents", "import_files", "import_folder", "keep_in_sync", "list_connections", "list_syncs",
    "oauth", "recent_transfers", "remove_connection", "requeue_at_start", "retry_failed", "run_transfer",
    "run_web_import",
    "share_configured", "stop_sync", "sync", "sync_folder", "sync_now", "sync_tick", "test_connection",
    "transfers",
    "web",
]
