"""Cloud-drive adapters: one module per backend behind the CloudDrive protocol (types.py).
They know the wire only; what to import, export and keep in sync is dokvault.services.drives."""
