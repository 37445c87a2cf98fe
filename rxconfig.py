import reflex as rx

from dokvault.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="dokvault",
    # DokVault runs its own Alembic migrations with the DDL role (dokvault migrate);
    # Reflex's own schema check would only trip over the search tables.
    db_url=None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    frontend_port=settings.port,
    backend_port=settings.port,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="teal", gray_color="slate", radius="medium")
        )
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
