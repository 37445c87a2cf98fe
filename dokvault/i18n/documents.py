"""Documents: upload, reading, notices of what was left unread, the detail page."""

from dokvault.i18n.catalogue import register

# services/documents/uploads.py
register({
    "nb": {
        "upload.not_received": "Ikke mottatt: opplastingen ble stoppet ved en fil over grensen.",
        "upload.undeclared": "Opplastingen er større enn filene den oppgir, og ble ikke lest.",
    },
    "en": {
        "upload.not_received": "Not received: the upload was stopped at a file over the limit.",
        "upload.undeclared": "The upload is larger than the files it declares, and was not read.",
    },
})

# services/documents/attachments.py
register({
    "nb": {
        "notice.attachments_depth": "{n} vedlegg ble ikke importert: vedlegg hentes bare {limit} "
                                    "nivåer ned i e-poster og arkiver som ligger i hverandre.",
        "notice.attachments_total": "{n} vedlegg ble ikke importert: én opplasting kan lage høyst "
                                    "{limit} dokumenter.",
        "notice.attachment_refused": "Vedlegget «{name}» ble ikke importert: {reason}",
    },
    "en": {
        "notice.attachments_depth": "{n} attachments were not imported: attachments are only "
                                    "taken {limit} levels down into mails and archives within "
                                    "each other.",
        "notice.attachments_total": "{n} attachments were not imported: one upload may create "
                                    "at most {limit} documents.",
        "notice.attachment_refused": "The attachment “{name}” was not imported: {reason}",
    },
})

# extract/__init__.py
register({
    "nb": {
        "error.ocr_unavailable": "Tekstgjenkjenning (OCR) er ikke tilgjengelig. Kontakt administrator.",
        "error.ocr_not_installed": ("OCR er ikke tilgjengelig: Tesseract er ikke installert. "
                                    "Skannede sider kan ikke leses før administrator installerer det."),
        "error.corrupt_image": "Bildefilen er skadet og kan ikke leses.",
        "error.image_too_large": "Bildet har for mange piksler til å behandles.",
        "error.corrupt_odt": "ODT-filen er skadet og kan ikke leses.",
        "error.corrupt_eml": "Filen er ikke en lesbar e-post.",
        "error.bomb": "Filen pakker seg ut til langt mer enn størrelsen sin; den ble ikke lest.",
        "error.too_complex": "Filen er bygd opp av for mange deler til å kunne leses.",
        "notice.pages_limit": "Bare de første {read} av {pages} sidene ble lest: grensen er "
                              "{limit} sider per dokument.",
        "notice.size_limit": "Bare de første {read} av {pages} sidene ble lest: resten av "
                             "dokumentet er for stort til å leses.",
        "notice.ocr_pages_limit": "Tekstgjenkjenning (OCR) leste {read} av {pages} skannede sider: "
                                  "grensen er {limit} sider per dokument.",
        "notice.time_limit": "Lesingen stoppet etter {seconds} sekunder: {read} av {pages} sider "
                             "ble lest.",
        "notice.pages_unreadable": "{n} av sidene er skadet og ble ikke lest.",
        "notice.text_cut": "Teksten ble kuttet etter {chars} tegn.",
        "notice.file_cut": "Bare de første {mb} MB av innholdet ble lest.",
        "notice.attachments_over_limit": "{n} vedlegg ble ikke importert: en e-post kan ha høyst "
                                         "{limit} vedlegg og {mb} MB vedlegg i alt.",
        "error.corrupt_zip": "ZIP-arkivet er skadet og kan ikke leses.",
        "error.corrupt_doc": "Word-filen (.doc) er skadet og kan ikke leses.",
        "error.doc_reader_missing": ("Eldre Word-filer (.doc) kan ikke leses: catdoc er ikke "
                                     "installert. Kontakt administrator."),
        "error.encrypted_entry": "filen er kryptert i arkivet.",
        "notice.archive_over_limit": "{n} filer i arkivet ble ikke importert: et arkiv kan gi "
                                     "høyst {limit} dokumenter.",
    },
    "en": {
        "error.ocr_unavailable": "Text recognition (OCR) is not available. Contact the administrator.",
        "error.ocr_not_installed": ("OCR not available: Tesseract is not installed. "
                                    "Scanned pages cannot be read until the administrator installs it."),
        "error.corrupt_image": "The image file is damaged and cannot be read.",
        "error.image_too_large": "The image has too many pixels to be processed.",
        "error.corrupt_odt": "The ODT file is damaged and cannot be read.",
        "error.corrupt_eml": "The file is not a readable e-mail.",
        "error.bomb": "The file expands to far more than its size; it was not read.",
        "error.too_complex": "The file is made of too many parts to be read.",
        "notice.pages_limit": "Only the first {read} of {pages} pages were read: the limit is "
                              "{limit} pages per document.",
        "notice.size_limit": "Only the first {read} of {pages} pages were read: the rest of the "
                             "document is too large to read.",
        "notice.ocr_pages_limit": "Text recognition (OCR) read {read} of {pages} scanned pages: "
                                  "the limit is {limit} pages per document.",
        "notice.time_limit": "Reading stopped after {seconds} seconds: {read} of {pages} pages "
                             "were read.",
        "notice.pages_unreadable": "{n} of the pages are damaged and were not read.",
        "notice.text_cut": "The text was cut after {chars} characters.",
        "notice.file_cut": "Only the first {mb} MB of the content were read.",
        "notice.attachments_over_limit": "{n} attachments were not imported: a mail may bring at "
                                         "most {limit} attachments and {mb} MB of them.",
        "error.corrupt_zip": "The ZIP archive is damaged and cannot be read.",
        "error.corrupt_doc": "The Word file (.doc) is damaged and cannot be read.",
        "error.doc_reader_missing": ("Older Word files (.doc) cannot be read: catdoc is not "
                                     "installed. Contact the administrator."),
        "error.encrypted_entry": "the file is encrypted in the archive.",
        "notice.archive_over_limit": "{n} files in the archive were not imported: an archive may "
                                     "bring at most {limit} documents.",
    },
})

# pages/detail.py
register({
    "nb": {
        "detail.share": "Del med kontoret",
        "detail.share_hint": "Alle på {office} kan lese dokumentet.",
        "detail.shared_on": "Delt med {office}.",
        "detail.shared_off": "Ikke lenger delt med kontoret.",
        "detail.shared_by_colleague": "Delt med kontoret ditt av en kollega.",
        "error.no_office": "Du hører ikke til et kontor ennå. Be en administrator om å legge deg til.",
        "detail.about": "Om dokumentet",
        "detail.doc_type": "Dokumenttype",
        "detail.language": "Språk",
        "detail.ocr": "Sider lest med OCR",
        "detail.searchable": "Søkbar PDF",
        "detail.summary": "Sammendrag",
        "detail.unconfirmed": "Foreslått, ikke bekreftet",
        "detail.review": "Gå gjennom",
        "detail.attachments": "Vedlegg",
        "detail.attached_to": "Vedlegg til",
        "detail.notices": "Ikke alt ble lest",
        "lang.nb": "Norsk", "lang.en": "Engelsk", "lang.sv": "Svensk", "lang.da": "Dansk",
        "lang.de": "Tysk",
    },
    "en": {
        "detail.share": "Share with my office",
        "detail.share_hint": "Everyone at {office} can read the document.",
        "detail.shared_on": "Shared with {office}.",
        "detail.shared_off": "No longer shared with the office.",
        "detail.shared_by_colleague": "Shared with your office by a colleague.",
        "error.no_office": "You do not belong to an office yet. Ask an administrator to add you.",
        "detail.about": "About the document",
        "detail.doc_type": "Document type",
        "detail.language": "Language",
        "detail.ocr": "Pages read with OCR",
        "detail.searchable": "Searchable PDF",
        "detail.summary": "Summary",
        "detail.unconfirmed": "Suggested, not confirmed",
        "detail.review": "Review",
        "detail.attachments": "Attachments",
        "detail.attached_to": "Attached to",
        "detail.notices": "Not everything was read",
        "lang.nb": "Norwegian", "lang.en": "English", "lang.sv": "Swedish", "lang.da": "Danish",
        "lang.de": "German",
    },
})

# pages/documents/detail_fields.py: type, tags and fields corrected on the page
register({
    "nb": {
        "detail.edit": "Rett type og felter",
        "detail.edit_title": "Type, etiketter og felter",
        "detail.edit_hint": "Det du retter her, lærer den lokale modellen av ved neste trening.",
        "detail.no_type": "Ingen type",
        "detail.tags": "Etiketter",
        "detail.fields": "Felter",
        "detail.save": "Lagre",
        "detail.cancel": "Avbryt",
        "detail.corrected": "Lagret. Modellen lærer av rettelsen ved neste trening.",
        "detail.confirmed": "Lagret og bekreftet.",
        "detail.fix_fields": "Noen felter kan ikke lagres slik de står. Se merknaden ved feltet.",
        "detail.hint.date": "dd.mm.åååå",
        "detail.hint.money": "kr",
        "detail.hint.integer": "tall",
        "detail.hint.gnr_bnr": "gnr/bnr, f.eks. 12/34",
        "field_error.date": "Skriv datoen som dd.mm.åååå, for eksempel 15.03.2026.",
        "field_error.money": "Skriv et beløp i kroner, for eksempel 4 500 000.",
        "field_error.integer": "Skriv et helt tall.",
        "field_error.text": "For lang: høyst 300 tegn.",
        "field_error.gnr_bnr": "Skriv gårds- og bruksnummer som 12/34 (eventuelt 12/34/0/5).",
        "field_error.type": "Velg en dokumenttype fra listen.",
    },
    "en": {
        "detail.edit": "Correct type and fields",
        "detail.edit_title": "Type, tags and fields",
        "detail.edit_hint": "What you correct here, the local model learns from at its next training.",
        "detail.no_type": "No type",
        "detail.tags": "Tags",
        "detail.fields": "Fields",
        "detail.save": "Save",
        "detail.cancel": "Cancel",
        "detail.corrected": "Saved. The model learns from the correction at its next training.",
        "detail.confirmed": "Saved and confirmed.",
        "detail.fix_fields": "Some fields cannot be saved as they are. See the note beside the field.",
        "detail.hint.date": "dd.mm.yyyy",
        "detail.hint.money": "NOK",
        "detail.hint.integer": "number",
        "detail.hint.gnr_bnr": "gnr/bnr, e.g. 12/34",
        "field_error.date": "Write the date as dd.mm.yyyy, for example 15.03.2026.",
        "field_error.money": "Write an amount in kroner, for example 4 500 000.",
        "field_error.integer": "Write a whole number.",
        "field_error.text": "Too long: 300 characters at most.",
        "field_error.gnr_bnr": "Write the farm and title numbers as 12/34 (or 12/34/0/5).",
        "field_error.type": "Choose a document type from the list.",
    },
})
