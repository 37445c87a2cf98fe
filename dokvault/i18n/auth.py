"""Accounts and security: sign-in, passwords, the second factor, sessions, password reset."""

from dokvault.i18n.catalogue import register

# services/auth/passwords.py
register({
    "nb": {
        "error.password_pwned": "Passordet finnes i kjente datalekkasjer (Have I Been Pwned). "
                                "Velg et annet passord.",
        "error.current_password_wrong": "Nåværende passord er feil.",
        "error.password_unchanged": "Det nye passordet må være forskjellig fra det gamle.",
    },
    "en": {
        "error.password_pwned": "This password appears in known data breaches (Have I Been "
                                "Pwned). Choose another password.",
        "error.current_password_wrong": "The current password is wrong.",
        "error.password_unchanged": "The new password must differ from the old one.",
    },
})

# services/auth/password_reset.py
register({
    "nb": {
        "reset.sent": "Hvis e-postadressen hører til en konto, har vi sendt en lenke for å "
                      "tilbakestille passordet. Sjekk innboksen din.",
        "reset.done": "Passordet er endret. Logg inn med det nye passordet.",
        "reset.invalid": "Lenken er ugyldig, utløpt eller allerede brukt. Be om en ny.",
    },
    "en": {
        "reset.sent": "If the e-mail address belongs to an account, we have sent a link to "
                      "reset the password. Check your inbox.",
        "reset.done": "Your password has been changed. Sign in with the new password.",
        "reset.invalid": "The link is invalid, expired or already used. Ask for a new one.",
    },
})

# pages/sessions.py
register({
    "nb": {
        "sessions.title": "Pålogginger",
        "sessions.intro": "Nettlesere og enheter som er logget inn på kontoen din.",
        "sessions.device": "Enhet",
        "sessions.ip": "Adresse",
        "sessions.created": "Logget inn",
        "sessions.last_seen": "Sist brukt",
        "sessions.current": "Denne enheten",
        "sessions.revoke": "Logg ut",
        "sessions.revoke_others": "Logg ut alle andre",
        "sessions.revoked": "Økten er logget ut.",
        "sessions.revoked_others": "{n} andre økter er logget ut.",
    },
    "en": {
        "sessions.title": "Sessions",
        "sessions.intro": "Browsers and devices signed in to your account.",
        "sessions.device": "Device",
        "sessions.ip": "Address",
        "sessions.created": "Signed in",
        "sessions.last_seen": "Last used",
        "sessions.current": "This device",
        "sessions.revoke": "Sign out",
        "sessions.revoke_others": "Sign out all others",
        "sessions.revoked": "The session is signed out.",
        "sessions.revoked_others": "{n} other sessions signed out.",
    },
})

# pages/account.py
register({
    "nb": {
        "nav.account": "Konto",
        "account.title": "Konto",
        "account.security_link": "Tofaktor-pålogging",
        "account.sessions_link": "Pålogginger",
        "account.profile": "Profil",
        "account.name": "Navn",
        "account.email": "E-post",
        "account.role": "Rolle",
        "account.role.admin": "Administrator",
        "account.role.office_manager": "Kontorleder",
        "account.role.broker": "Megler",
        "account.change_title": "Bytt passord",
        "account.change_hint": "Minst 12 tegn. Passord som finnes i kjente datalekkasjer "
                               "avvises. Andre innloggede enheter logges ut.",
        "account.current_password": "Nåværende passord",
        "account.new_password": "Nytt passord",
        "account.new_password_confirm": "Gjenta nytt passord",
        "account.submit": "Bytt passord",
        "account.mismatch": "De nye passordene er ikke like.",
        "account.changed": "Passordet er endret. {n} andre økter ble logget ut.",
    },
    "en": {
        "nav.account": "Account",
        "account.title": "Account",
        "account.security_link": "Two-factor sign-in",
        "account.sessions_link": "Sessions",
        "account.profile": "Profile",
        "account.name": "Name",
        "account.email": "E-mail",
        "account.role": "Role",
        "account.role.admin": "Administrator",
        "account.role.office_manager": "Office manager",
        "account.role.broker": "Broker",
        "account.change_title": "Change password",
        "account.change_hint": "At least 12 characters. Passwords found in known data breaches "
                               "are refused. Other signed-in devices are signed out.",
        "account.current_password": "Current password",
        "account.new_password": "New password",
        "account.new_password_confirm": "Repeat new password",
        "account.submit": "Change password",
        "account.mismatch": "The new passwords do not match.",
        "account.changed": "Your password was changed. {n} other sessions were signed out.",
    },
})

# pages/two_factor.py
register({
    "nb": {
        "twofa.login_title": "Tofaktor-bekreftelse",
        "twofa.login_intro": "Skriv den sekssifrede koden fra autentiseringsappen din.",
        "twofa.code": "Kode",
        "twofa.verify": "Bekreft",
        "twofa.use_backup": "Bruk en reservekode",
        "twofa.backup_code": "Reservekode",
        "twofa.verify_backup": "Logg inn med reservekode",
        "twofa.back_to_login": "Tilbake til innlogging",
        "twofa.expired": "Innloggingen tok for lang tid eller er allerede brukt. Logg inn på nytt.",
        "twofa.title": "Sikkerhet",
        "twofa.account": "Konto",
        "twofa.heading": "Tofaktor-autentisering",
        "twofa.status_on": "På",
        "twofa.status_off": "Av",
        "twofa.enabled_since": "Slått på:",
        "twofa.off_intro": "Beskytt kontoen med en kode fra en autentiseringsapp "
                           "(for eksempel Microsoft Authenticator eller Google Authenticator).",
        "twofa.required": "Organisasjonen krever tofaktor-autentisering. Slå det på før du fortsetter.",
        "twofa.start": "Slå på tofaktor",
        "twofa.scan": "Skann QR-koden med autentiseringsappen, eller skriv inn nøkkelen under.",
        "twofa.secret": "Nøkkel",
        "twofa.first_code": "Koden appen viser",
        "twofa.confirm": "Bekreft og slå på",
        "twofa.cancel": "Avbryt",
        "twofa.enrolled": "Tofaktor-autentisering er slått på.",
        "twofa.codes_title": "Reservekoder",
        "twofa.codes_intro": "Lagre disse ti kodene et trygt sted. Hver kan brukes én gang hvis du "
                             "mister telefonen. De vises bare nå.",
        "twofa.codes_done": "Jeg har lagret kodene",
        "twofa.codes_remaining": "Ubrukte reservekoder:",
        "twofa.regenerate": "Lag nye reservekoder",
        "twofa.regenerate_intro": "De gamle kodene slutter å virke. Bekreft med en kode fra appen.",
        "twofa.regenerated": "Nye reservekoder er laget.",
        "twofa.disable": "Slå av tofaktor",
        "twofa.disable_intro": "Bekreft med en kode fra appen eller en reservekode.",
        "twofa.disabled": "Tofaktor-autentisering er slått av.",
        "twofa.org_title": "For hele organisasjonen",
        "twofa.org_require": "Krev tofaktor-autentisering for alle kontoer",
        "twofa.org_saved": "Innstillingen er lagret.",
        "error.2fa_invalid": "Feil kode. Sjekk at klokken på telefonen går riktig.",
        "error.2fa_replayed": "Koden er allerede brukt. Vent på neste kode i appen.",
        "error.2fa_not_enabled": "Tofaktor-autentisering er ikke slått på.",
        "error.2fa_already_on": "Tofaktor-autentisering er allerede slått på.",
        "error.2fa_not_started": "Start oppsettet på nytt.",
        "error.backup_code_invalid": "Reservekoden er feil eller allerede brukt.",
    },
    "en": {
        "twofa.login_title": "Two-factor verification",
        "twofa.login_intro": "Enter the six-digit code from your authenticator app.",
        "twofa.code": "Code",
        "twofa.verify": "Verify",
        "twofa.use_backup": "Use a backup code",
        "twofa.backup_code": "Backup code",
        "twofa.verify_backup": "Sign in with backup code",
        "twofa.back_to_login": "Back to sign in",
        "twofa.expired": "The sign-in took too long or was already used. Please sign in again.",
        "twofa.title": "Security",
        "twofa.account": "Account",
        "twofa.heading": "Two-factor authentication",
        "twofa.status_on": "On",
        "twofa.status_off": "Off",
        "twofa.enabled_since": "Turned on:",
        "twofa.off_intro": "Protect your account with a code from an authenticator app "
                           "(for example Microsoft Authenticator or Google Authenticator).",
        "twofa.required": "Your organisation requires two-factor authentication. Turn it on to go on.",
        "twofa.start": "Turn on two-factor",
        "twofa.scan": "Scan the QR code with your authenticator app, or type in the key below.",
        "twofa.secret": "Key",
        "twofa.first_code": "The code the app shows",
        "twofa.confirm": "Confirm and turn on",
        "twofa.cancel": "Cancel",
        "twofa.enrolled": "Two-factor authentication is on.",
        "twofa.codes_title": "Backup codes",
        "twofa.codes_intro": "Keep these ten codes somewhere safe. Each works once if you lose your "
                             "phone. They are shown only now.",
        "twofa.codes_done": "I have saved the codes",
        "twofa.codes_remaining": "Unused backup codes:",
        "twofa.regenerate": "Make new backup codes",
        "twofa.regenerate_intro": "The old codes stop working. Confirm with a code from the app.",
        "twofa.regenerated": "New backup codes were made.",
        "twofa.disable": "Turn off two-factor",
        "twofa.disable_intro": "Confirm with a code from the app or a backup code.",
        "twofa.disabled": "Two-factor authentication is off.",
        "twofa.org_title": "For the whole organisation",
        "twofa.org_require": "Require two-factor authentication on every account",
        "twofa.org_saved": "The setting is saved.",
        "error.2fa_invalid": "Wrong code. Check that the phone's clock is right.",
        "error.2fa_replayed": "This code was already used. Wait for the next code in the app.",
        "error.2fa_not_enabled": "Two-factor authentication is not on.",
        "error.2fa_already_on": "Two-factor authentication is already on.",
        "error.2fa_not_started": "Start the set-up again.",
        "error.backup_code_invalid": "The backup code is wrong or already used.",
    },
})

# pages/password_reset.py
register({
    "nb": {
        "reset.forgot_link": "Glemt passordet?",
        "reset.forgot_title": "Glemt passordet",
        "reset.forgot_intro": "Skriv e-postadressen til kontoen din, så sender vi deg en lenke "
                              "for å velge et nytt passord. Lenken virker i én time.",
        "reset.send": "Send lenke",
        "reset.title": "Velg nytt passord",
        "reset.intro": "Passordet må ha minst 12 tegn. Alle pålogginger på kontoen blir logget ut.",
        "reset.new_password": "Nytt passord",
        "reset.submit": "Lagre nytt passord",
        "reset.request_new": "Be om en ny lenke",
        "reset.back_to_login": "Tilbake til innlogging",
    },
    "en": {
        "reset.forgot_link": "Forgot your password?",
        "reset.forgot_title": "Forgotten password",
        "reset.forgot_intro": "Enter your account's e-mail address and we will send you a link "
                              "to choose a new password. The link works for one hour.",
        "reset.send": "Send link",
        "reset.title": "Choose a new password",
        "reset.intro": "The password needs at least 12 characters. Every session of the "
                       "account will be signed out.",
        "reset.new_password": "New password",
        "reset.submit": "Save new password",
        "reset.request_new": "Ask for a new link",
        "reset.back_to_login": "Back to sign-in",
    },
})
