"""OAuth connections (Google Drive, OneDrive): to be filled by the OAuth step."""
