import reflex as rx

from dokvault.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="dokvault",
    db_url=settings.db_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    frontend_port=settings.port,
    backend_port=settings.port,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="teal", gray_color="slate", radius="medium")
        )
    ],
    disable_plugins=["reflex_base.plugins.sitemap.SitemapPlugin"],
)
