"""The organisation: Vitec Megler and Microsoft 365 integrations, offices, staff,
assignments and teams."""

from dokvault.i18n.catalogue import register

# Errors of the integrations (VitecError/GraphError/SyncFailed codes) and of org actions.
register({
    "nb": {
        "vitec.not_configured": "Vitec er ikke satt opp.",
        "vitec.unauthorized": (
            "Vitec avviste påloggingen (401): produktinnloggingen eller tilgangsnøkkelen er feil."),
        "vitec.forbidden": (
            "Vitec sier at denne påloggingen ikke har rett til funksjonen eller installasjonen "
            "(403). Be Vitec om å gi partneren tilgang."),
        "vitec.not_found": "Vitec kjenner ikke adressen (404). Er installasjons-ID-en riktig?",
        "vitec.rate_limited": "Vitec ber oss vente (429, for mange forespørsler). Prøv igjen litt senere.",
        "vitec.unreachable": "Vitec svarer ikke (tidsavbrudd eller ingen forbindelse).",
        "vitec.refused": "DokVault kaller ikke denne adressen (utgående vakt). Se OUTBOUND_ALLOWED_HOSTS.",
        "vitec.unusable": "Vitec svarte med noe DokVault ikke kan lese.",
        "vitec.http": "Vitec svarte med en feil.",
        "microsoft.not_configured": "Microsoft 365 er ikke satt opp.",
        "microsoft.bad_credentials": (
            "Microsoft avviste appregistreringen: klient-ID-en eller klienthemmeligheten er feil, "
            "eller hemmeligheten er utløpt."),
        "microsoft.token": "Microsoft ga ingen tilgangsnøkkel. Er tenant-ID-en riktig?",
        "microsoft.forbidden": (
            "Microsoft Graph nekter (401/403): appregistreringen mangler en tillatelse "
            "(Group.Read.All, GroupMember.Read.All, Mail.Send) eller administratorsamtykke."),
        "microsoft.rate_limited": "Microsoft ber oss vente (429). Prøv igjen litt senere.",
        "microsoft.unreachable": "Microsoft svarer ikke (tidsavbrudd eller ingen forbindelse).",
        "microsoft.refused": "DokVault kaller ikke denne adressen (utgående vakt).",
        "microsoft.config": "Påloggingsadressen til Microsoft er ikke brukbar.",
        "microsoft.unusable": "Microsoft svarte med noe DokVault ikke kan lese.",
        "microsoft.http": "Microsoft Graph svarte med en feil.",
        "error.sync_crashed": "Synkroniseringen stoppet på grunn av en intern feil. Se loggen.",
        "error.unknown_team": "Teamet finnes ikke.",
        "error.unknown_employee": "Den ansatte finnes ikke.",
        "error.unknown_assignment": "Oppdraget finnes ikke.",
        "error.employee_no_email": "Den ansatte har ingen e-postadresse i Vitec.",
        "error.employee_has_user": "Den ansatte har allerede en bruker.",
        "error.office_not_manual": "Kontorer fra Vitec navngis og avvikles i Vitec.",
        "error.office_merge_self": "Et kontor kan ikke slås sammen med seg selv.",
        "error.office_inactive": "Kontoret er deaktivert.",
    },
    "en": {
        "vitec.not_configured": "Vitec is not set up.",
        "vitec.unauthorized": "Vitec refused the login (401): the product login or the access key is wrong.",
        "vitec.forbidden": (
            "Vitec says this login has no right to the function or the installation (403). Ask "
            "Vitec to grant the partner access."),
        "vitec.not_found": "Vitec does not know the address (404). Is the installation id right?",
        "vitec.rate_limited": "Vitec asks us to wait (429, too many requests). Try again a little later.",
        "vitec.unreachable": "Vitec does not answer (timed out or no connection).",
        "vitec.refused": "DokVault does not call this address (outbound guard). See OUTBOUND_ALLOWED_HOSTS.",
        "vitec.unusable": "Vitec answered with something DokVault cannot read.",
        "vitec.http": "Vitec answered with an error.",
        "microsoft.not_configured": "Microsoft 365 is not set up.",
        "microsoft.bad_credentials": (
            "Microsoft refused the app registration: the client id or the client secret is "
            "wrong, or the secret has expired."),
        "microsoft.token": "Microsoft gave no access token. Is the tenant id right?",
        "microsoft.forbidden": (
            "Microsoft Graph refuses (401/403): the app registration lacks a permission "
            "(Group.Read.All, GroupMember.Read.All, Mail.Send) or admin consent."),
        "microsoft.rate_limited": "Microsoft asks us to wait (429). Try again a little later.",
        "microsoft.unreachable": "Microsoft does not answer (timed out or no connection).",
        "microsoft.refused": "DokVault does not call this address (outbound guard).",
        "microsoft.config": "The Microsoft sign-in address is not usable.",
        "microsoft.unusable": "Microsoft answered with something DokVault cannot read.",
        "microsoft.http": "Microsoft Graph answered with an error.",
        "error.sync_crashed": "The sync stopped because of an internal error. See the log.",
        "error.unknown_team": "The team does not exist.",
        "error.unknown_employee": "The employee does not exist.",
        "error.unknown_assignment": "The assignment does not exist.",
        "error.employee_no_email": "The employee has no e-mail address in Vitec.",
        "error.employee_has_user": "The employee already has a user.",
        "error.office_not_manual": "Offices from Vitec are named and retired in Vitec.",
        "error.office_merge_self": "An office cannot be merged with itself.",
        "error.office_inactive": "The office is deactivated.",
    },
})
