"""Export to a drive from where the documents are (their page, a selection in the list), and
the hosts an admin allows the outbound guard to reach over plain http or an internal address."""

from dokvault.i18n.catalogue import register

register({
    "nb": {
        "export.button": "Eksporter til disk",
        "export.title": "Eksporter til disk",
        "export.what": "{n} dokument(er) sendes til mappen du velger.",
        "export.choose_drive": "Velg disk",
        "export.no_drives": "Du har ingen disk å eksportere til ennå.",
        "export.connect": "Koble til en disk",
        "export.folder": "Mappe: {folder}",
        "export.here": "Eksporter til {folder}",
        "export.clashes": "Et navn som er tatt i mappen, får et nummer.",
        "export.to_drives": "Se alle overføringer",
        "export.close": "Lukk",
        "docs.selected_count": "{n} valgt",
        "docs.select_page": "Velg alle på siden",
        "docs.clear_selection": "Fjern valget",
        "docs.select_row": "Velg",
        # Admin: hosts allowed to the outbound guard.
        "nav.admin_outbound_hosts": "Interne verter",
        "hosts.title": "Tillatte interne verter",
        "hosts.intro": "Verter DokVault får nå over vanlig http eller på en intern adresse, for eksempel en "
                       "Nextcloud på kontorets nett. Én vert per linje: et vertsnavn eller en IP-adresse, "
                       "eventuelt med :port. Ingen https://, ingen stjerner.",
        "hosts.field": "Verter",
        "hosts.from_settings": "Fra innstillingen OUTBOUND_ALLOWED_HOSTS (endres der): {hosts}",
        "hosts.save": "Lagre",
        "hosts.saved": "De tillatte vertene er lagret.",
        "error.hosts_scheme": "Skriv bare vertsnavnet, uten {value}.",
        "error.hosts_wildcard": "«{value}» ville slippe gjennom for mye: skriv én bestemt vert.",
        "error.hosts_invalid": "«{value}» er ikke et vertsnavn eller en IP-adresse.",
        "error.hosts_too_many": "Høyst {n} verter.",
        "error.hosts_refused": "«{value}» kan ikke tillates: det er denne maskinen selv "
                               "eller en metadata-tjeneste.",
    },
    "en": {
        "export.button": "Export to a drive",
        "export.title": "Export to a drive",
        "export.what": "{n} document(s) go to the folder you choose.",
        "export.choose_drive": "Choose a drive",
        "export.no_drives": "You have no drive to export to yet.",
        "export.connect": "Connect a drive",
        "export.folder": "Folder: {folder}",
        "export.here": "Export to {folder}",
        "export.clashes": "A name that is taken in the folder gets a number.",
        "export.to_drives": "See all transfers",
        "export.close": "Close",
        "docs.selected_count": "{n} selected",
        "docs.select_page": "Select all on the page",
        "docs.clear_selection": "Clear the selection",
        "docs.select_row": "Select",
        "nav.admin_outbound_hosts": "Internal hosts",
        "hosts.title": "Allowed internal hosts",
        "hosts.intro": "Hosts DokVault may reach over plain http or at an internal address, such as a "
                       "Nextcloud on the office network. One host a line: a host name or an IP address, "
                       "optionally with :port. No https://, no stars.",
        "hosts.field": "Hosts",
        "hosts.from_settings": "From the OUTBOUND_ALLOWED_HOSTS setting (changed there): {hosts}",
        "hosts.save": "Save",
        "hosts.saved": "The allowed hosts are saved.",
        "error.hosts_scheme": "Type the host name only, without {value}.",
        "error.hosts_wildcard": "“{value}” would let too much through: type one particular host.",
        "error.hosts_invalid": "“{value}” is not a host name or an IP address.",
        "error.hosts_too_many": "At most {n} hosts.",
        "error.hosts_refused": "“{value}” cannot be allowed: it is this machine itself "
                               "or a metadata service.",
    },
})
