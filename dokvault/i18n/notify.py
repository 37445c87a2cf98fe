"""Notifications: the in-app list, the bell, the settings page, and the mails' texts."""

from dokvault.i18n.catalogue import register

register({
    "nb": {
        "nav.notifications": "Varsler",
        "notify.title": "Varsler",
        "notify.unread": "{n} uleste",
        "notify.none": "Ingen varsler ennå.",
        "notify.mark_read": "Merk som lest",
        "notify.mark_all_read": "Merk alle som lest",
        "notify.all_read": "Alle varsler er merket som lest.",
        "notify.open": "Åpne",
        "notify.show_all": "Vis alle varsler",
        "notify.bell": "Varsler",
        "notify.settings_title": "Varslingsinnstillinger",
        "notify.settings_hint": "Alle varsler vises her i DokVault. Velg hvilke du også vil få på e-post.",
        "notify.settings_link": "Varslingsinnstillinger",
        "notify.by_mail": "Også på e-post",
        "notify.app_only": "Bare i appen",
        "notify.always_mailed": "Sendes alltid på e-post",
        "notify.mail_language": "Språk i e-poster",
        "notify.saved": "Innstillingen er lagret.",
        "notify.no_mail_transport": (
            "Denne DokVault-installasjonen sender ikke e-post (ingen e-posttjeneste er satt opp). "
            "Varslene vises bare her."),
        "notify.kind.processing_failed": "Et dokument du lastet opp kunne ikke leses",
        "notify.kind.document_shared": "Noen deler et dokument med deg eller kontoret ditt",
        "notify.kind.review_waiting": (
            "Forslag som har ventet på gjennomgang i over et døgn (daglig oppsummering)"),
        "notify.kind.sync_failed": "En synkronisering ble ferdig med feil (administratorer)",
        "notify.kind.security_alert": "Sikkerhetsvarsler for kontoen din",
        "notify.processing_failed.title": "«{document}» kunne ikke leses",
        "notify.processing_failed.body": (
            "DokVault klarte ikke å lese dokumentet «{document}» som du lastet opp. Åpne det for "
            "å se hvorfor, og prøv igjen eller last opp en annen fil."),
        "notify.document_shared.title": "{by} delte «{document}» med deg",
        "notify.document_shared.body": "{by} har delt dokumentet «{document}» med deg i DokVault.",
        "notify.document_shared_office.title": "{by} delte «{document}» med {office}",
        "notify.document_shared_office.body": (
            "{by} har delt dokumentet «{document}» med kontoret ditt, {office}. Alle på kontoret "
            "kan lese det."),
        "notify.review_waiting.title": "{count} forslag venter på gjennomgang",
        "notify.review_waiting.body": (
            "{count} forslag til dokumenttype, etiketter og felter har ventet på deg i mer enn et "
            "døgn. Gå gjennom dem på siden Gjennomgang."),
        "notify.sync_failed.title": "Synkroniseringen med {system} ble ferdig med {errors} feil",
        "notify.sync_failed.body": (
            "Den siste synkroniseringen med {system} ble ferdig, men {errors} deler av den "
            "feilet. Se oppsummeringen på integrasjonssiden."),
        "notify.security_alert.title": "Sikkerhetsvarsel for kontoen din",
        "notify.security_alert.body": (
            "Vi oppdaget noe uvanlig med kontoen din og logget ut de berørte øktene. Se "
            "e-posten vi sendte deg, og bytt passord hvis det ikke var deg."),
        "notify.mail.greeting": "Hei {name},",
        "notify.mail.footer": (
            "Du får denne e-posten fordi du har valgt det i varslingsinnstillingene dine: {url}"),
        "notify.mail.signature": "Hilsen DokVault",
        "notify.system.vitec": "Vitec Megler",
        "notify.system.teams": "Microsoft Teams",
    },
    "en": {
        "nav.notifications": "Notifications",
        "notify.title": "Notifications",
        "notify.unread": "{n} unread",
        "notify.none": "No notifications yet.",
        "notify.mark_read": "Mark as read",
        "notify.mark_all_read": "Mark all as read",
        "notify.all_read": "All notifications are marked as read.",
        "notify.open": "Open",
        "notify.show_all": "Show all notifications",
        "notify.bell": "Notifications",
        "notify.settings_title": "Notification settings",
        "notify.settings_hint": (
            "Every notification is shown here in DokVault. Choose which also come by e-mail."),
        "notify.settings_link": "Notification settings",
        "notify.by_mail": "Also by e-mail",
        "notify.app_only": "In the app only",
        "notify.always_mailed": "Always sent by e-mail",
        "notify.mail_language": "Language of e-mails",
        "notify.saved": "The setting is saved.",
        "notify.no_mail_transport": (
            "This DokVault sends no e-mail (no mail service is set up). Notifications are shown "
            "here only."),
        "notify.kind.processing_failed": "A document you uploaded could not be read",
        "notify.kind.document_shared": "Someone shares a document with you or your office",
        "notify.kind.review_waiting": "Suggestions waiting for review for more than a day (daily digest)",
        "notify.kind.sync_failed": "A sync finished with errors (administrators)",
        "notify.kind.security_alert": "Security alerts for your account",
        "notify.processing_failed.title": "“{document}” could not be read",
        "notify.processing_failed.body": (
            "DokVault could not read the document “{document}” you uploaded. Open it to see "
            "why, and try again or upload another file."),
        "notify.document_shared.title": "{by} shared “{document}” with you",
        "notify.document_shared.body": "{by} has shared the document “{document}” with you in DokVault.",
        "notify.document_shared_office.title": "{by} shared “{document}” with {office}",
        "notify.document_shared_office.body": (
            "{by} has shared the document “{document}” with your office, {office}. Everyone there "
            "can read it."),
        "notify.review_waiting.title": "{count} suggestions are waiting for review",
        "notify.review_waiting.body": (
            "{count} suggestions of document type, tags and fields have waited for you for more "
            "than a day. Review them on the Review page."),
        "notify.sync_failed.title": "The sync with {system} finished with {errors} errors",
        "notify.sync_failed.body": (
            "The last sync with {system} finished, but {errors} parts of it failed. See the "
            "summary on the integrations page."),
        "notify.security_alert.title": "Security alert for your account",
        "notify.security_alert.body": (
            "We noticed something unusual with your account and signed out the sessions "
            "concerned. See the e-mail we sent you, and change your password if it was not you."),
        "notify.mail.greeting": "Hello {name},",
        "notify.mail.footer": "You get this e-mail because you chose so in your notification settings: {url}",
        "notify.mail.signature": "DokVault",
        "notify.system.vitec": "Vitec Megler",
        "notify.system.teams": "Microsoft Teams",
    },
})
