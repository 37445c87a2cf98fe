"""Admin forms: the shared form texts, users (invitations, editing, deleting), quotas and
the security policy."""

from dokvault.i18n.catalogue import register

register({
    "nb": {
        "form.save": "Lagre",
        "form.cancel": "Avbryt",
        "form.close": "Lukk",
        "form.confirm": "Bekreft",
        "error.invalid": "Sjekk feltet.",
        "nav.admin_quotas": "Kvoter",
        "nav.admin_security": "Sikkerhetsregler",
        # users
        "users.pending": "Invitert",
        "users.edit": "Endre",
        "users.edit_title": "Endre {email}",
        "users.resend": "Send på nytt",
        "users.resent": "Invitasjonen er sendt på nytt til {email}.",
        "users.copy_link": "Kopier lenke",
        "users.copy": "Kopier",
        "users.link_title": "Invitasjonslenke for {email}",
        "users.link_hint": "Lenken lar mottakeren velge passord og logge inn. Den virker i sju "
                           "dager og kan brukes én gang. Del den bare med den inviterte.",
        "users.link_copied": "Lenken er kopiert.",
        "users.invited_no_mail": "Kontoen til {email} er laget. Ingen e-post er sendt: kopier "
                                 "lenken og gi den videre.",
        "users.reset_title": "Lenke for nytt passord for {email}",
        "users.reset_hint": "Lenken lar mottakeren velge et nytt passord. Den virker i én time "
                            "og kan brukes én gang. Del den bare med {email}.",
        "users.delete": "Slett",
        "users.delete_title": "Slette {email}?",
        "users.delete_body": "Kontoen slettes for godt. En konto som eier dokumenter kan ikke "
                             "slettes; deaktiver den i stedet.",
        "users.deleted": "{email} er slettet.",
        "users.deactivate_title": "Deaktivere {email}?",
        "users.deactivate_body": "Brukeren logges ut overalt og kan ikke logge inn før kontoen "
                                 "aktiveres igjen. Dokumentene beholdes.",
        "users.reset_2fa_title": "Nullstille tofaktor for {email}?",
        "users.reset_2fa_body": "Brukeren logges ut overalt og må sette opp tofaktor på nytt.",
        "users.col_storage": "Lagring",
        "users.documents": "dokumenter",
        "error.user_has_documents": "Brukeren eier dokumenter og kan ikke slettes. Deaktiver "
                                    "kontoen i stedet.",
        "error.not_pending": "Brukeren har allerede tatt imot invitasjonen.",
        "error.no_mail_transport": "DokVault sender ikke e-post her. Kopier lenken og send den "
                                   "selv.",
        # quotas
        "quotas.title": "Kvoter",
        "quotas.hint": "Hvor mye hver bruker og hvert kontor lagrer, og grensene. Uten grense "
                       "er lagringen ubegrenset. Dokumenter i papirkurven teller med til de "
                       "slettes for godt.",
        "quotas.users": "Brukere",
        "quotas.offices": "Kontorer",
        "quotas.col_name": "Navn",
        "quotas.col_used": "Brukt",
        "quotas.col_limit": "Grense",
        "quotas.no_users": "Ingen brukere.",
        "quotas.unlimited": "Ubegrenset",
        "quotas.edit": "Endre",
        "quotas.edit_title": "Kvote for {name}",
        "quotas.edit_hint": "La et felt stå tomt for ingen grense.",
        "quotas.max_bytes": "Lagringsplass",
        "quotas.max_bytes_hint": "For eksempel 500 MB, 10 GB eller 1,5 TB.",
        "quotas.max_documents": "Antall dokumenter",
        "quotas.saved": "Kvoten for {name} er lagret.",
        "quotas.removed": "Kvoten for {name} er fjernet: lagringen er ubegrenset.",
        "quotas.remove": "Fjern grensene",
        "quotas.remove_title": "Fjerne grensene?",
        "quotas.remove_body": "Lagringen blir ubegrenset.",
        "error.quota_bytes_invalid": "Skriv en størrelse, for eksempel 500 MB eller 10 GB.",
        "error.quota_bytes_range": "Grensen må være større enn 0 og høyst 1 PB.",
        "error.quota_documents_invalid": "Skriv et helt tall.",
        "error.quota_documents_range": "Grensen må være minst 1.",
        "error.quota_user_bytes": "Lagringskvoten din er full: {used} av {limit} er brukt, og "
                                  "filen er {size}. Tøm papirkurven, eller be en "
                                  "administrator om mer plass.",
        "error.quota_user_documents": "Du har nådd kvoten på {limit} dokumenter. Tøm "
                                      "papirkurven, eller be en administrator om mer.",
        "error.quota_office_bytes": "Kontoret {office} har brukt opp lagringskvoten sin ({used} "
                                    "av {limit}); filen er {size}. Be en administrator om mer "
                                    "plass.",
        "error.quota_office_documents": "Kontoret {office} har nådd kvoten på {limit} "
                                        "dokumenter. Be en administrator om mer.",
        # security policy
        "policy.title": "Sikkerhetsregler",
        "policy.hint": "Reglene gjelder alle kontoer og håndheves ved innlogging og ved hvert "
                       "nytt passord.",
        "policy.sign_in": "Innlogging",
        "policy.require_2fa": "Krev tofaktor-autentisering for alle",
        "policy.require_2fa_hint": "Brukere uten tofaktor må sette det opp før de kommer "
                                   "videre.",
        "policy.session_hours": "Øktens lengde (timer)",
        "policy.session_hours_hint": "Fra 1 til 2160 timer (90 dager). En kortere lengde "
                                     "gjelder straks også for økter som alt er i gang.",
        "policy.passwords": "Passord",
        "policy.password_min_length": "Minste lengde (tegn)",
        "policy.password_min_length_hint": "Fra 8 til 128 tegn. Gjelder nye passord.",
        "policy.password_mixed": "Krev både bokstaver og tall eller tegn",
        "policy.password_mixed_hint": "Gjelder nye passord.",
        "policy.saved": "Sikkerhetsreglene er lagret.",
        "error.policy_number": "Skriv et helt tall.",
        "error.policy_range": "Velg et tall fra {min} til {max}.",
        "twofa.org_required": "Tofaktor er påkrevd for alle",
        "twofa.org_optional": "Tofaktor er valgfritt",
        "twofa.org_policy_link": "Endre i sikkerhetsreglene",
        # AI and taxonomy forms
        "ai.clear_key_title": "Fjerne den lagrede API-nøkkelen?",
        "ai.clear_key_body": "Nøkkelen slettes. Leverandøren kan ikke brukes før du lagrer en "
                             "ny (eller en nøkkel fra miljøvariablene gjelder).",
        "ai.key_removed": "Den lagrede nøkkelen er fjernet.",
        "taxonomy.apply": "Bruk på eksisterende",
        "taxonomy.apply_title": "Bruke regelen for «{name}» på lagrede dokumenter?",
        "taxonomy.apply_counting": "Teller dokumentene regelen treffer …",
        "taxonomy.apply_matching": "Regelen treffer {n} dokumenter.",
        "taxonomy.apply_changing": "{n} dokumenter endres.",
        "taxonomy.apply_confirmed": "{n} dokumenter er bekreftet i gjennomgangen og endres "
                                    "ikke.",
        "taxonomy.apply_hint": "Bare dokumenter som er klare og ikke ligger i papirkurven, "
                               "ses på. Endringen kjøres i bakgrunnen.",
        "taxonomy.apply_confirm": "Bruk regelen",
        "taxonomy.apply_started": "Regelen for «{name}» brukes nå på {n} dokumenter.",
        "error.rule_missing": "Typen eller taggen har ingen regel å bruke.",
    },
    "en": {
        "form.save": "Save",
        "form.cancel": "Cancel",
        "form.close": "Close",
        "form.confirm": "Confirm",
        "error.invalid": "Check this field.",
        "nav.admin_quotas": "Quotas",
        "nav.admin_security": "Security policy",
        "users.pending": "Invited",
        "users.edit": "Edit",
        "users.edit_title": "Edit {email}",
        "users.resend": "Send again",
        "users.resent": "The invitation was sent again to {email}.",
        "users.copy_link": "Copy link",
        "users.copy": "Copy",
        "users.link_title": "Invitation link for {email}",
        "users.link_hint": "The link lets its holder choose a password and sign in. It works "
                           "for seven days, once. Share it with the invitee only.",
        "users.link_copied": "The link is copied.",
        "users.invited_no_mail": "The account of {email} is made. No mail was sent: copy the "
                                 "link and pass it on.",
        "users.reset_title": "Link for a new password for {email}",
        "users.reset_hint": "The link lets its holder choose a new password. It works for one "
                            "hour and only once. Share it only with {email}.",
        "users.delete": "Delete",
        "users.delete_title": "Delete {email}?",
        "users.delete_body": "The account is deleted for good. An account that owns documents "
                             "cannot be deleted; deactivate it instead.",
        "users.deleted": "{email} was deleted.",
        "users.deactivate_title": "Deactivate {email}?",
        "users.deactivate_body": "The user is signed out everywhere and cannot sign in until "
                                 "the account is activated again. Their documents are kept.",
        "users.reset_2fa_title": "Reset two-factor sign-in for {email}?",
        "users.reset_2fa_body": "The user is signed out everywhere and must set up two-factor "
                                "sign-in again.",
        "users.col_storage": "Storage",
        "users.documents": "documents",
        "error.user_has_documents": "The user owns documents and cannot be deleted. "
                                    "Deactivate the account instead.",
        "error.not_pending": "The user has already accepted the invitation.",
        "error.no_mail_transport": "DokVault sends no mail here. Copy the link and send it "
                                   "yourself.",
        "quotas.title": "Quotas",
        "quotas.hint": "How much each user and each office stores, and the limits. Without a "
                       "limit storage is unlimited. Documents in the trash count until they "
                       "are deleted for good.",
        "quotas.users": "Users",
        "quotas.offices": "Offices",
        "quotas.col_name": "Name",
        "quotas.col_used": "Used",
        "quotas.col_limit": "Limit",
        "quotas.no_users": "No users.",
        "quotas.unlimited": "Unlimited",
        "quotas.edit": "Edit",
        "quotas.edit_title": "Quota of {name}",
        "quotas.edit_hint": "Leave a field empty for no limit.",
        "quotas.max_bytes": "Storage space",
        "quotas.max_bytes_hint": "For example 500 MB, 10 GB or 1.5 TB.",
        "quotas.max_documents": "Number of documents",
        "quotas.saved": "The quota of {name} is saved.",
        "quotas.removed": "The quota of {name} is removed: storage is unlimited.",
        "quotas.remove": "Remove the limits",
        "quotas.remove_title": "Remove the limits?",
        "quotas.remove_body": "Storage becomes unlimited.",
        "error.quota_bytes_invalid": "Enter a size, for example 500 MB or 10 GB.",
        "error.quota_bytes_range": "The limit must be above 0 and at most 1 PB.",
        "error.quota_documents_invalid": "Enter a whole number.",
        "error.quota_documents_range": "The limit must be at least 1.",
        "error.quota_user_bytes": "Your storage quota is full: {used} of {limit} used, and the "
                                  "file is {size}. Empty the trash, or ask an administrator "
                                  "for more space.",
        "error.quota_user_documents": "You have reached your quota of {limit} documents. Empty "
                                      "the trash, or ask an administrator for more.",
        "error.quota_office_bytes": "The office {office} has used up its storage quota ({used} "
                                    "of {limit}); the file is {size}. Ask an administrator for "
                                    "more space.",
        "error.quota_office_documents": "The office {office} has reached its quota of {limit} "
                                        "documents. Ask an administrator for more.",
        "policy.title": "Security policy",
        "policy.hint": "The rules apply to every account and are enforced at sign-in and for "
                       "every new password.",
        "policy.sign_in": "Sign-in",
        "policy.require_2fa": "Require two-factor authentication for everyone",
        "policy.require_2fa_hint": "Users without it must set it up before they can go on.",
        "policy.session_hours": "Session length (hours)",
        "policy.session_hours_hint": "From 1 to 2160 hours (90 days). A shorter length applies "
                                     "at once to sessions already signed in too.",
        "policy.passwords": "Passwords",
        "policy.password_min_length": "Minimum length (characters)",
        "policy.password_min_length_hint": "From 8 to 128 characters. Applies to new passwords.",
        "policy.password_mixed": "Require letters and digits or symbols",
        "policy.password_mixed_hint": "Applies to new passwords.",
        "policy.saved": "The security policy is saved.",
        "error.policy_number": "Enter a whole number.",
        "error.policy_range": "Choose a number from {min} to {max}.",
        "twofa.org_required": "Two-factor sign-in is required for everyone",
        "twofa.org_optional": "Two-factor sign-in is optional",
        "twofa.org_policy_link": "Change it in the security policy",
        "ai.clear_key_title": "Remove the stored API key?",
        "ai.clear_key_body": "The key is deleted. The provider cannot be used until you store a "
                             "new one (or a key from the environment applies).",
        "ai.key_removed": "The stored key is removed.",
        "taxonomy.apply": "Apply to existing",
        "taxonomy.apply_title": "Apply the rule of “{name}” to stored documents?",
        "taxonomy.apply_counting": "Counting the documents the rule matches …",
        "taxonomy.apply_matching": "The rule matches {n} documents.",
        "taxonomy.apply_changing": "{n} documents change.",
        "taxonomy.apply_confirmed": "{n} documents were confirmed in review and do not change.",
        "taxonomy.apply_hint": "Only documents that are ready and not in the trash are looked "
                               "at. The change runs in the background.",
        "taxonomy.apply_confirm": "Apply the rule",
        "taxonomy.apply_started": "The rule of “{name}” is now being applied to {n} documents.",
        "error.rule_missing": "The type or tag has no rule to apply.",
    },
})
