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
    backend_host=settings.bind_host,
    # CORS and Socket.IO answer only DokVault's own pages (dokvault.api.middleware refuses
    # the rest outright, websockets without an Origin included).
    cors_allowed_origins=list(settings.allowed_origins),
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="teal", gray_color="slate", radius="medium")
        )
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
