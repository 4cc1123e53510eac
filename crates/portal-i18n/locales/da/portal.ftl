### portal: Customer portal pages (da).
### Keys: dots in the code become dashes here (list.count is list-count).

## lang: The language itself: its name in the language menu.

lang-name = Dansk

## a11y: Accessibility helpers read by screen readers.

a11y-skip = Spring til indhold
a11y-close = Luk

## nav: The header and navigation of the customer portal.

nav-tickets = Sager
nav-new_ticket = Opret en supportsag
nav-logout = Log ud
nav-language = Sprog
nav-change = Skift
nav-account = Konto
nav-knowledge_base = Vidensbase
nav-new_ticket_custom = Ny: { $singular }

## label: What tickets are called when the admin has not renamed them.

label-ticket = Sag
label-tickets = Sager

## login: The login page.

login-title = Log ind
login-intro = Log ind for at se og administrere dine supportsager.
login-email = E-mail
login-password = Adgangskode
login-submit = Log ind
login-failed = E-mailen eller adgangskoden er forkert.
login-throttled =
    { $n ->
        [one] For mange forsøg. Vent { $n } sekund, og prøv igen.
       *[other] For mange forsøg. Vent { $n } sekunder, og prøv igen.
    }
login-logged_out = Du er logget ud.
login-expired = Din session er udløbet. Log ind igen.
login-forgot = Glemt din adgangskode?
login-reset_done = Din adgangskode er ændret. Log ind med den nye.
login-register = Intet login endnu? Opret en konto
login-confirmed = Din e-mailadresse er bekræftet. Du kan logge ind nu.
login-welcome_done = Din adgangskode er valgt. Log ind nu.
login-sso_saml = Log ind med din virksomhedskonto
login-sso_jwt = Log ind med single sign-on
login-or = eller

## list: The ticket list: search, view, filters, sorting, counts.

list-view = Visning
list-view_organization = Organisationens sager
list-view_all_companies = Sager fra alle mine virksomheder
list-view_all_companies_custom = { $plural } fra alle mine virksomheder
list-view_mine = Mine sager
list-view_shared = Delt med mig
list-search = Søg
list-search_placeholder = Søg i emne og beskeder
list-status = Status
list-status_any = Alle
list-filter = Filter
list-filter_any = Alle
list-apply = Anvend
list-clear = Nulstil
list-export = Eksportér til CSV
list-count_more = Mere end { $n } sager
list-count =
    { $n ->
        [one] { $n } sag
       *[other] { $n } sager
    }
list-empty = Ingen sager matcher.
list-next = Næste side
list-first = Første side
list-sort_by = Sortér efter { $column }
list-sorted_asc = sorteret stigende
list-sorted_desc = sorteret faldende
list-count_custom =
    { $n ->
        [one] { $n } { $singular }
       *[other] { $n } { $plural }
    }
list-count_more_custom = Mere end { $n } { $plural }
list-view_organization_custom = Organisationen: { $plural }
list-view_mine_custom = Mine { $plural }
list-view_shared_custom = Delt med mig: { $plural }
list-empty_custom = Ingen { $plural } matcher.
list-welcome = Velkommen! Du har ingen sager endnu.
list-welcome_custom = Velkommen! Du har ingen { $plural } endnu.
list-welcome_next = Kom i gang her:
list-date_from = fra
list-date_to = til
list-export_excel = CSV til Excel
list-filters = Filtre
list-active_filters = Aktive filtre
list-remove_filter = Fjern filter: { $filter }

## col: Ticket list columns.

col-id = Sags-ID
col-subject = Emne
col-requested_by = Anmodet af
col-created_at = Oprettelsesdato
col-owner = Sagsejer
col-last_activity_at = Seneste aktivitet
col-status = Status
col-pipeline = Pipeline
col-stage = Fase
col-inbox = Indbakke
col-owner_custom = Ejer
col-id_custom = { $singular }-ID

## status: Ticket states.

status-open = Åben
status-closed = Lukket

## detail: One ticket: its messages, reply form, closing.

detail-back = Tilbage til listen
detail-properties = Detaljer
detail-conversation = Samtale
detail-no_messages = Ingen beskeder endnu.
detail-you = Dig
detail-support = Support
detail-attachments = Vedhæftede filer
detail-reply = Svar
detail-reply_help = Formatering: **fed**, *kursiv*, - lister, [links](https://example.com).
detail-attach = Vedhæft filer
detail-attach_help =
    { $files ->
        [one] Op til { $files } fil, hver { $file_mb } MB, i alt { $total_mb } MB.
       *[other] Op til { $files } filer, hver { $file_mb } MB, i alt { $total_mb } MB.
    }
detail-send = Send svar
detail-close = Luk sagen
detail-closed_no_reply = Denne sag er lukket. Det er ikke muligt at svare.
detail-replied = Dit svar er sendt.
detail-closed = Sagen er lukket.
detail-bold = Fed
detail-italic = Kursiv
detail-list = Liste
detail-close_custom = Luk { $singular }
detail-closed_no_reply_custom = { $singular }: lukket. Det er ikke muligt at svare.
detail-closed_custom = { $singular }: lukket.
detail-people = Personer på sagen
detail-people_custom = Personer ({ $singular })
detail-people_help = Personer, du tilføjer, kan se sagen og dens svar, kan svare og får besked om nye svar.
detail-people_help_custom = Personer, du tilføjer, kan se { $singular } og svarene, kan svare og får besked om nye svar.
detail-add_person = Tilføj en person via e-mail
detail-add_person_button = Tilføj
detail-remove_person = Fjern
detail-leave = Forlad sagen
detail-leave_custom = Forlad { $singular }
detail-person_added = Personen blev tilføjet til sagen.
detail-person_added_custom = Personen blev tilføjet ({ $singular }).
detail-person_removed = Personen blev fjernet fra sagen.
detail-person_removed_custom = Personen blev fjernet ({ $singular }).
detail-hand_over = Overdrag sagen til en kollega (e-mail)
detail-hand_over_custom = Overdrag til en kollega ({ $singular }, e-mail)
detail-hand_over_stay = Bliv på sagen
detail-hand_over_stay_custom = Bliv på { $singular }
detail-hand_over_button = Overdrag
detail-hand_over_help = Din kollega bliver den, der har oprettet sagen; I får begge en e-mail.
detail-handed_over = Sagen blev overdraget.
detail-handed_over_custom = { $singular }: overdraget.
detail-private = Denne sag er privat: kun personerne på den kan se den.
detail-private_custom = { $singular }: privat. Kun personerne på den kan se den.
detail-shared = Alle i din virksomhed med adgang til dens sager kan se denne sag.
detail-shared_custom = Alle i din virksomhed med adgang til dens { $plural } kan se dette.
detail-make_private = Gør privat
detail-make_shared = Del med min virksomhed
detail-made_private = Sagen er nu privat.
detail-made_private_custom = { $singular }: nu privat.
detail-made_shared = Sagen er nu delt med din virksomhed.
detail-made_shared_custom = { $singular }: nu delt med din virksomhed.

## new: Filing a new ticket.

new-title = Opret en supportsag
new-subject = Emne
new-description = Beskrivelse
new-submit = Send
new-created = Din sag er oprettet.
new-created_custom = { $singular } er oprettet.
new-on_behalf = For en kollega (e-mail, valgfrit)
new-on_behalf_help = Din kollega bliver den, der har oprettet sagen, og får en e-mail; du forbliver på sagen.
new-on_behalf_help_custom = Din kollega bliver den, der har oprettet den ({ $singular }), og får en e-mail; du forbliver med.
new-privacy = Hvem kan se denne sag
new-privacy_custom = Hvem kan se dette ({ $singular })
new-shared = Alle i min virksomhed med adgang
new-private = Kun mig og de personer, jeg tilføjer
new-header = Hvordan kan vi hjælpe?
new-title_custom = Ny: { $singular }

## error: Errors shown on pages.

error-not_found-title = Ikke fundet
error-not_found-body = Siden findes ikke, eller du har ikke adgang til den.
error-csrf-title = Formularen er udløbet
error-csrf-body = Formularen var for gammel eller kom fra et andet websted. Gå tilbage, genindlæs siden, og prøv igen.
error-invalid-title = Kontrollér dine oplysninger
error-unavailable-title = Midlertidigt utilgængelig
error-unavailable-body = Tjenesten er optaget. Prøv igen om et øjeblik.
error-control_character = Formularen eller adressen indeholder et kontroltegn (som NUL), der ikke er tilladt. Fjern det, og prøv igen.
error-internal-title = Noget gik galt
error-internal-body = Der opstod en uventet fejl. Prøv igen senere.
error-too_large = Uploaden er for stor.
error-upload-too_many =
    { $n ->
        [one] Du kan højst vedhæfte { $n } fil.
       *[other] Du kan højst vedhæfte { $n } filer.
    }
error-upload-file_too_large = Hver fil må højst være { $n } MB.
error-upload-total_too_large = Alle filer tilsammen må højst være { $n } MB.
error-upload-empty = Tomme filer kan ikke vedhæftes.
error-reply_closed = Det er ikke tilladt at svare på lukkede sager.
error-close_disabled = Det er ikke tilladt at lukke sager.
error-cc_disabled = Det er ikke tilladt at tilføje personer til sager.
error-cc_disabled_custom = Det er ikke tilladt at tilføje personer ({ $plural }).
error-cc_not_requester = Kun den, der oprettede sagen, kan ændre, hvem der er på den.
error-cc_not_requester_custom = Kun den, der oprettede den ({ $singular }), kan ændre, hvem der er på den.
error-cc_address_refused = Ingen med denne adresse kan tilføjes til sagen.
error-cc_address_refused_custom = Ingen med denne adresse kan tilføjes ({ $singular }).
error-cc_already = Personen er allerede på sagen.
error-cc_already_custom = Personen er allerede på { $singular }.
error-cc_not_participant = Personen er ikke på sagen.
error-cc_not_participant_custom = Personen er ikke på { $singular }.
error-cc_email = Angiv en e-mailadresse.
error-hand_over_refused = Sagen kan kun overdrages til en kollega i din virksomhed.
error-hand_over_refused_custom = { $singular } kan kun overdrages til en kollega i din virksomhed.
error-privacy_choice_off = Du kan ikke vælge, hvem der kan se denne sag.
error-privacy_choice_off_custom = Du kan ikke vælge, hvem der kan se dette ({ $singular }).
error-privacy_not_requester = Kun den, der har oprettet sagen, kan ændre, hvem der kan se den.
error-privacy_not_requester_custom = Kun den, der har oprettet den, kan ændre, hvem der kan se dette ({ $singular }).
error-on_behalf_refused = En sag kan kun oprettes for en kollega i din virksomhed.
error-on_behalf_refused_custom = { $singular }: kun for en kollega i din virksomhed.
error-company_reply_right = Du må læse, men ikke besvare din virksomheds sager.
error-company_reply_right_custom = Du må læse, men ikke besvare din virksomheds { $plural }.
error-company_close_right = Du må læse, men ikke lukke din virksomheds sager.
error-company_close_right_custom = Du må læse, men ikke lukke din virksomheds { $plural }.
error-already_closed = Sagen er allerede lukket.
error-no_closed_stage = Sagen kan ikke lukkes endnu. Kontakt venligst support.
error-bad_request-title = Anmodningen kunne ikke behandles
error-bad_request-body = Noget i formularen eller adressen manglede eller var forkert. Gå tilbage, genindlæs siden og prøv igen.
error-conflict-title = Ændret i mellemtiden
error-conflict-body = Nogen ændrede dette samtidig. Genindlæs siden og prøv igen.

## field: Problems with one form field, shown next to it.

field-required = Feltet skal udfyldes.
field-too_long = Teksten er for lang.
field-control_character = Teksten indeholder et kontroltegn, der ikke er tilladt.
field-invalid_number = Indtast et helt tal.
field-invalid_date = Indtast en dato som ÅÅÅÅ-MM-DD.
field-invalid_option = Vælg en af mulighederne.
field-not_a_colleague = Kun en kollega i din virksomhed kan vælges.
field-invalid = Værdien er ugyldig.
field-too_short = Brug mindst 8 tegn.
field-too_common = Denne adgangskode er for almindelig. Vælg en anden.
field-invalid_email = Indtast en gyldig e-mailadresse.
field-wrong_password = Den nuværende adgangskode er forkert.
field-unknown = Denne værdi er ukendt.
field-builtin_property = En indbygget egenskab kan ikke bruges her.
field-duplicate = Dette er allerede brugt.
field-invalid_color = Angiv en farve som #1d4ed8.
field-invalid_filter = Dette filter passer ikke til egenskaberne.
field-no_way_in = Med disse indstillinger kan ingen logge ind.
field-not_closed_stage = Vælg en lukket fase i denne pipeline.
field-out_of_range = Værdien er uden for det tilladte.
field-too_many = Der er for mange.
field-unknown_property = Den egenskab findes ikke.
field-unknown_operator = Brug en af de nævnte operatorer.
field-invalid_url = Angiv en http(s)://-adresse eller en sti, der starter med /.
field-invalid_slug = Brug små bogstaver, tal og enkelte bindestreger.
field-reserved = Denne sti er reserveret.
field-unknown_language = Vælg et af sprogene.
field-unknown_company = Ingen virksomhed har dette navn eller domæne.
field-invalid_domain = Angiv et domæne som example.com.
field-needs_open_stage = En pipeline skal have mindst én åben fase.
field-unknown_pipeline = Den pipeline findes ikke.
field-invalid_name = Start med et lille bogstav, derefter små bogstaver, tal eller _.
field-taken = Det er allerede i brug.
field-unknown_kind = Vælg tekst, tal eller dato.
field-options_need_text = Kun tekstegenskaber har valgmuligheder.
field-unknown_contact = Den kontakt findes ikke.
field-unknown_inbox = Den indbakke findes ikke.
field-invalid_image = Upload et PNG-, JPEG-, GIF-, WebP- eller ICO-billede.
field-hidden_by_ticket_filter = Tickets oprettet her ville ikke blive vist i kundens portal: synlighedsfilteret for tickets skjuler dem.
field-invalid_host = Indtast et værtsnavn som imap.example.com eller en IP-adresse.
field-unknown_zone = Vælg en tidszone fra listen.

## denied

denied-title = Adgang nægtet
denied-body = Din konto må ikke bruge denne portal. Kontakt supportteamet, hvis du mener, at det er en fejl.

## unavailable

unavailable-title = Portalen er utilgængelig
unavailable-body = Denne kundeportal er ikke tilgængelig i øjeblikket.

## footer

footer-text = Kundeportal

## reset: Password reset.

reset-title = Nulstil din adgangskode
reset-intro = Indtast e-mailadressen til dit login. Hvis den hører til en konto, sender vi dig et link til at vælge en ny adgangskode.
reset-submit = Send link
reset-sent = Hvis der findes en konto med denne adresse, er et link til nulstilling på vej. Det virker én gang i 15 minutter.
reset-new_title = Vælg en ny adgangskode
reset-new_password = Ny adgangskode
reset-rules = 8 til 128 tegn. Meget almindelige adgangskoder afvises.
reset-end_sessions = Log ud alle andre steder
reset-save = Gem adgangskode
reset-invalid_link = Dette link er brugt eller udløbet. Bed om et nyt.

## register: Self-registration.

register-title = Opret en konto
register-intro = Opret et login for at følge og oprette dine supportsager.
register-first_name = Fornavn
register-last_name = Efternavn
register-submit = Opret konto
register-sent = Næsten færdig: vi har sendt et link til din e-mailadresse. Åbn det for at bekræfte adressen, og log derefter ind.

## confirm: Email confirmation.

confirm-title = Bekræft din e-mailadresse
confirm-intro = Bekræft adressen for at fuldføre din registrering.
confirm-submit = Bekræft min adresse

## welcome

welcome-title = Vælg din adgangskode

## account: The account page.

account-title = Din konto
account-current_password = Nuværende adgangskode
account-save = Skift adgangskode
account-changed = Din adgangskode er ændret.
account-end_others = Log ud på mine andre enheder
account-zone = Tidszone
account-zone_now = Tider vises i
account-zone_portal = Portalens
account-zone_saved = Din tidszone er gemt.

## sso

sso-failed-title = Single sign-on mislykkedes
sso-failed-body = Dit login kunne ikke gennemføres. Prøv igen, og kontakt support, hvis problemet fortsætter.

## link: Login links by email.

link-title = Log ind via e-mail
link-ask = Send mig et login-link
link-intro = Indtast din e-mailadresse. Hvis den har et login, sender vi dig et link, der logger dig ind én gang inden for 15 minutter.
link-submit = Send linket
link-sent = Hvis adressen har et login, er et link på vej. Det virker én gang i 15 minutter.
link-confirm_intro = Log ind med linket fra din e-mail.
link-confirm = Log ind
link-used = Linket er allerede brugt eller udløbet. Bed om et nyt.

## format

format-list_separator = ;

## preview: The staff preview of the portal as a customer.

preview-banner = Du ser portalen som { $name }: en forhåndsvisning, kun læsning.
preview-end = Afslut forhåndsvisningen
preview-read_only-title = Dette er en forhåndsvisning
preview-read_only-body = Intet kan ændres, mens medarbejdere ser portalen som en kontakt.

## form

form-problems = Der er fejl i formularen

## home: The portal's front page.

nav-home = Forside
home-title = Hjælpecenter
home-heading = Hvordan kan vi hjælpe?
home-search = Søg i dine sager
home-search_custom = Søg i dine { $plural }
home-search_button = Søg
home-recent = Seneste sager
home-recent_custom = Seneste { $plural }
home-all = Alle sager
home-all_custom = Alle { $plural }
home-open = Åbne sager
home-open_custom = Åbne { $plural }
home-none = Du har ingen sager endnu.
home-none_custom = Du har ingen { $plural } endnu.
home-new_text = Beskriv dit spørgsmål eller problem, så svarer vi på e-mail og her.
home-kb_text = Svar på almindelige spørgsmål, når som helst.

# The organisation's access log (C4)
log-company = Din virksomhed
log-company_help = Som portaladministrator for din virksomhed kan du se, hvad dine kolleger har gjort i portalen.
log-open = Adgangslog
log-switch = Dine virksomheder
log-title = Adgangslog for { $company }
log-intro = Hvem i din virksomhed har set, eksporteret, besvaret, lukket og overdraget virksomhedens sager, og hvornår.
log-intro_custom = Hvem i din virksomhed har set, eksporteret, besvaret, lukket og overdraget virksomhedens { $plural }, og hvornår.
log-ticket = Sag
log-ticket_custom = { $singular }
log-who = Hvem
log-what = Hvad
log-when = Hvornår
log-subject = Emne
log-everyone = Alle
log-every_action = Alle handlinger
log-from = Fra
log-to = Til
log-csv = Hent CSV
log-empty = Ingen poster.
log-older = Ældre poster
log-newest = Nyeste poster
log-bad_date = En dato kunne ikke læses; skriv den som 2026-12-31.
log-viewed = så
log-exported = eksporterede { $count ->
    [one] én sag
   *[other] { $count } sager
}
log-exported_custom = eksporterede { $count ->
    [one] { $singular }
   *[other] { $count } { $plural }
}
log-replied = svarede
log-closed = lukkede
log-handed_over = overdrog til en kollega
log-action_viewed = Set
log-action_exported = Eksporteret
log-action_replied = Besvaret
log-action_closed = Lukket
log-action_handed_over = Overdraget

# What colleagues may do (C5)
people-open = Hvad kolleger må
people-title = Hvad kolleger hos { $company } må
people-intro = Vælg, hvad hver kollega må med virksomhedens sager. Felter, du ikke kan markere, tillader supportteamet ikke.
people-intro_custom = Vælg, hvad hver kollega må med virksomhedens { $plural }. Felter, du ikke kan markere, tillader supportteamet ikke.
people-who = Kollega
people-rights = Må
people-see = se
people-reply = besvare
people-close = lukke
people-save = Gem
people-saved = Gemt.
people-none = Ingen kolleger endnu.
