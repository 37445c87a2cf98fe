"""DokVault: a self-hosted document hub."""
