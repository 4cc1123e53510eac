### portal: Customer portal pages (nl).
### Keys: dots in the code become dashes here (list.count is list-count).

## lang: The language itself: its name in the language menu.

lang-name = Nederlands

## a11y: Accessibility helpers read by screen readers.

a11y-skip = Naar de inhoud
a11y-close = Sluiten

## nav: The header and navigation of the customer portal.

nav-tickets = Tickets
nav-new_ticket = Supportticket indienen
nav-logout = Afmelden
nav-language = Taal
nav-change = Wijzigen
nav-account = Account
nav-knowledge_base = Kennisbank
nav-new_ticket_custom = Nieuw: { $singular }

## label: What tickets are called when the admin has not renamed them.

label-ticket = Ticket
label-tickets = Tickets

## login: The login page.

login-title = Aanmelden
login-intro = Meld u aan om uw supporttickets te bekijken en te beheren.
login-email = E-mail
login-password = Wachtwoord
login-submit = Aanmelden
login-failed = Het e-mailadres of wachtwoord is onjuist.
login-throttled =
    { $n ->
        [one] Te veel pogingen. Wacht { $n } seconde en probeer het opnieuw.
       *[other] Te veel pogingen. Wacht { $n } seconden en probeer het opnieuw.
    }
login-logged_out = U bent afgemeld.
login-expired = Uw sessie is verlopen. Meld u opnieuw aan.
login-forgot = Wachtwoord vergeten?
login-reset_done = Uw wachtwoord is gewijzigd. Meld u aan met het nieuwe.
login-register = Nog geen aanmelding? Maak een account aan
login-confirmed = Uw e-mailadres is bevestigd. U kunt zich nu aanmelden.
login-welcome_done = Uw wachtwoord is ingesteld. Meld u nu aan.
login-sso_saml = Inloggen met uw bedrijfsaccount
login-sso_jwt = Inloggen met single sign-on
login-or = of

## list: The ticket list: search, view, filters, sorting, counts.

list-view = Weergave
list-view_organization = Tickets van de organisatie
list-view_all_companies = Tickets van al mijn bedrijven
list-view_all_companies_custom = { $plural } van al mijn bedrijven
list-view_mine = Mijn tickets
list-view_shared = Met mij gedeeld
list-search = Zoeken
list-search_placeholder = Zoek in onderwerp en berichten
list-status = Status
list-status_any = Alle
list-filter = Filter
list-filter_any = Alle
list-apply = Toepassen
list-clear = Wissen
list-export = Exporteren naar CSV
list-count_more = Meer dan { $n } tickets
list-count =
    { $n ->
        [one] { $n } ticket
       *[other] { $n } tickets
    }
list-empty = Geen tickets gevonden.
list-next = Volgende pagina
list-first = Eerste pagina
list-sort_by = Sorteren op { $column }
list-sorted_asc = oplopend gesorteerd
list-sorted_desc = aflopend gesorteerd
list-count_custom =
    { $n ->
        [one] { $n } { $singular }
       *[other] { $n } { $plural }
    }
list-count_more_custom = Meer dan { $n } { $plural }
list-view_organization_custom = Organisatie: { $plural }
list-view_mine_custom = Mijn { $plural }
list-view_shared_custom = Met mij gedeeld: { $plural }
list-empty_custom = Geen { $plural } gevonden.
list-welcome = Welkom! U hebt nog geen tickets.
list-welcome_custom = Welkom! U hebt nog geen { $plural }.
list-welcome_next = Zo begint u:
list-date_from = van
list-date_to = tot en met
list-export_excel = CSV voor Excel
list-filters = Filters
list-active_filters = Actieve filters
list-remove_filter = Filter verwijderen: { $filter }

## col: Ticket list columns.

col-id = Ticket-ID
col-subject = Onderwerp
col-requested_by = Aangevraagd door
col-created_at = Aanmaakdatum
col-owner = Ticketeigenaar
col-last_activity_at = Laatste activiteit
col-status = Status
col-pipeline = Pijplijn
col-stage = Fase
col-inbox = Inbox
col-owner_custom = Eigenaar
col-id_custom = { $singular }-ID

## status: Ticket states.

status-open = Open
status-closed = Gesloten

## detail: One ticket: its messages, reply form, closing.

detail-back = Terug naar de lijst
detail-properties = Details
detail-conversation = Gesprek
detail-no_messages = Nog geen berichten.
detail-you = U
detail-support = Support
detail-attachments = Bijlagen
detail-reply = Antwoorden
detail-reply_help = Opmaak: **vet**, *cursief*, - lijsten, [links](https://example.com).
detail-attach = Bestanden bijvoegen
detail-attach_help =
    { $files ->
        [one] Maximaal { $files } bestand, elk { $file_mb } MB, samen { $total_mb } MB.
       *[other] Maximaal { $files } bestanden, elk { $file_mb } MB, samen { $total_mb } MB.
    }
detail-send = Antwoord versturen
detail-close = Ticket sluiten
detail-closed_no_reply = Dit ticket is gesloten. Antwoorden is niet mogelijk.
detail-replied = Uw antwoord is verstuurd.
detail-closed = Het ticket is gesloten.
detail-bold = Vet
detail-italic = Cursief
detail-list = Lijst
detail-close_custom = { $singular } sluiten
detail-closed_no_reply_custom = { $singular }: gesloten. Antwoorden is niet mogelijk.
detail-closed_custom = { $singular }: gesloten.
detail-people = Betrokken personen
detail-people_custom = Betrokken personen ({ $singular })
detail-people_help = Personen die u toevoegt zien dit ticket en de antwoorden, kunnen antwoorden en krijgen bericht van nieuwe antwoorden.
detail-people_help_custom = Personen die u toevoegt zien deze { $singular } en de antwoorden, kunnen antwoorden en krijgen bericht van nieuwe antwoorden.
detail-add_person = Persoon toevoegen via e-mail
detail-add_person_button = Toevoegen
detail-remove_person = Verwijderen
detail-leave = Ticket verlaten
detail-leave_custom = { $singular } verlaten
detail-person_added = De persoon is aan het ticket toegevoegd.
detail-person_added_custom = De persoon is toegevoegd ({ $singular }).
detail-person_removed = De persoon is van het ticket verwijderd.
detail-person_removed_custom = De persoon is verwijderd ({ $singular }).
detail-hand_over = Ticket overdragen aan een collega (e-mail)
detail-hand_over_custom = Overdragen aan een collega ({ $singular }, e-mail)
detail-hand_over_stay = Betrokken blijven bij het ticket
detail-hand_over_stay_custom = Betrokken blijven ({ $singular })
detail-hand_over_button = Overdragen
detail-hand_over_help = Uw collega wordt de aanvrager; u krijgt allebei een e-mail.
detail-handed_over = Het ticket is overgedragen.
detail-handed_over_custom = { $singular }: overgedragen.
detail-private = Dit ticket is privé: alleen de personen erop zien het.
detail-private_custom = { $singular }: privé. Alleen de personen erop zien het.
detail-shared = Iedereen in uw bedrijf met toegang tot de tickets ervan ziet dit ticket.
detail-shared_custom = Iedereen in uw bedrijf met toegang tot de { $plural } ervan ziet dit.
detail-make_private = Privé maken
detail-make_shared = Delen met mijn bedrijf
detail-made_private = Het ticket is nu privé.
detail-made_private_custom = { $singular }: nu privé.
detail-made_shared = Het ticket is nu gedeeld met uw bedrijf.
detail-made_shared_custom = { $singular }: nu gedeeld met uw bedrijf.

## new: Filing a new ticket.

new-title = Supportticket indienen
new-subject = Onderwerp
new-description = Beschrijving
new-submit = Indienen
new-created = Uw ticket is aangemaakt.
new-created_custom = { $singular } is aangemaakt.
new-on_behalf = Voor een collega (e-mail, optioneel)
new-on_behalf_help = Uw collega wordt de aanvrager en krijgt een e-mail; u blijft betrokken.
new-on_behalf_help_custom = Uw collega wordt de aanvrager ({ $singular }) en krijgt een e-mail; u blijft betrokken.
new-privacy = Wie dit ticket ziet
new-privacy_custom = Wie dit ziet ({ $singular })
new-shared = Iedereen in mijn bedrijf met toegang
new-private = Alleen ik en de personen die ik toevoeg
new-header = Hoe kunnen we helpen?
new-title_custom = Nieuw: { $singular }

## error: Errors shown on pages.

error-not_found-title = Niet gevonden
error-not_found-body = Deze pagina bestaat niet, of u hebt er geen toegang toe.
error-csrf-title = Formulier verlopen
error-csrf-body = Het formulier was te oud of kwam van een andere website. Ga terug, laad de pagina opnieuw en probeer het nog eens.
error-invalid-title = Controleer uw invoer
error-unavailable-title = Tijdelijk niet beschikbaar
error-unavailable-body = De dienst is druk bezet. Probeer het zo opnieuw.
error-control_character = Het formulier of adres bevat een niet-toegestaan stuurteken (zoals NUL). Verwijder het en probeer het opnieuw.
error-internal-title = Er ging iets mis
error-internal-body = Er is een onverwachte fout opgetreden. Probeer het later opnieuw.
error-too_large = De upload is te groot.
error-upload-too_many =
    { $n ->
        [one] U kunt maximaal { $n } bestand bijvoegen.
       *[other] U kunt maximaal { $n } bestanden bijvoegen.
    }
error-upload-file_too_large = Elk bestand mag maximaal { $n } MB zijn.
error-upload-total_too_large = Alle bestanden samen mogen maximaal { $n } MB zijn.
error-upload-empty = Lege bestanden kunnen niet worden bijgevoegd.
error-reply_closed = Antwoorden op gesloten tickets is niet toegestaan.
error-close_disabled = Tickets sluiten is niet toegestaan.
error-cc_disabled = Personen toevoegen aan tickets is niet toegestaan.
error-cc_disabled_custom = Personen toevoegen is niet toegestaan ({ $plural }).
error-cc_not_requester = Alleen de aanvrager kan wijzigen wie bij dit ticket betrokken is.
error-cc_not_requester_custom = Alleen de aanvrager kan wijzigen wie betrokken is ({ $singular }).
error-cc_address_refused = Niemand met dit adres kan aan dit ticket worden toegevoegd.
error-cc_address_refused_custom = Niemand met dit adres kan worden toegevoegd ({ $singular }).
error-cc_already = Deze persoon is al bij het ticket betrokken.
error-cc_already_custom = Deze persoon is al betrokken ({ $singular }).
error-cc_not_participant = Deze persoon is niet bij het ticket betrokken.
error-cc_not_participant_custom = Deze persoon is niet betrokken ({ $singular }).
error-cc_email = Vul een e-mailadres in.
error-hand_over_refused = Het ticket kan alleen worden overgedragen aan een collega van uw bedrijf.
error-hand_over_refused_custom = { $singular }: overdragen kan alleen aan een collega van uw bedrijf.
error-privacy_choice_off = U kunt niet kiezen wie dit ticket ziet.
error-privacy_choice_off_custom = U kunt niet kiezen wie dit ziet ({ $singular }).
error-privacy_not_requester = Alleen de aanvrager kan wijzigen wie dit ticket ziet.
error-privacy_not_requester_custom = Alleen de aanvrager kan wijzigen wie dit ziet ({ $singular }).
error-on_behalf_refused = Een ticket kan alleen voor een collega van uw bedrijf worden aangemaakt.
error-on_behalf_refused_custom = { $singular }: alleen voor een collega van uw bedrijf.
error-company_reply_right = U mag de tickets van uw bedrijf lezen maar niet beantwoorden.
error-company_reply_right_custom = U mag de { $plural } van uw bedrijf lezen maar niet beantwoorden.
error-company_close_right = U mag de tickets van uw bedrijf lezen maar niet sluiten.
error-company_close_right_custom = U mag de { $plural } van uw bedrijf lezen maar niet sluiten.
error-already_closed = Het ticket is al gesloten.
error-no_closed_stage = Dit ticket kan nog niet worden gesloten. Neem contact op met support.
error-bad_request-title = Dit verzoek kon niet worden verwerkt
error-bad_request-body = Er ontbrak iets in het formulier of het adres, of het was onjuist. Ga terug, laad de pagina opnieuw en probeer het nog eens.
error-conflict-title = Intussen gewijzigd
error-conflict-body = Iemand heeft dit tegelijkertijd gewijzigd. Laad de pagina opnieuw en probeer het nog eens.

## field: Problems with one form field, shown next to it.

field-required = Dit veld is verplicht.
field-too_long = Deze tekst is te lang.
field-control_character = Deze tekst bevat een niet-toegestaan stuurteken.
field-invalid_number = Voer een geheel getal in.
field-invalid_date = Voer een datum in als JJJJ-MM-DD.
field-invalid_option = Kies een van de opties.
field-not_a_colleague = Alleen een collega van uw bedrijf kan worden gekozen.
field-invalid = Deze waarde is ongeldig.
field-too_short = Gebruik minstens 8 tekens.
field-too_common = Dit wachtwoord komt te vaak voor. Kies een ander.
field-invalid_email = Voer een geldig e-mailadres in.
field-wrong_password = Het huidige wachtwoord is onjuist.
field-unknown = Deze waarde is onbekend.
field-builtin_property = Een ingebouwde eigenschap kan hier niet.
field-duplicate = Dit wordt al gebruikt.
field-invalid_color = Voer een kleur in zoals #1d4ed8.
field-invalid_filter = Dit filter past niet bij deze eigenschappen.
field-no_way_in = Met deze instellingen kan niemand inloggen.
field-not_closed_stage = Kies een afsluitende fase van deze pijplijn.
field-out_of_range = Deze waarde valt buiten het bereik.
field-too_many = Dat zijn er te veel.
field-unknown_property = Deze eigenschap bestaat niet.
field-unknown_operator = Gebruik een van de genoemde operatoren.
field-invalid_url = Voer een http(s)://-adres of een pad met / in.
field-invalid_slug = Gebruik kleine letters, cijfers en losse streepjes.
field-reserved = Dit pad is gereserveerd.
field-unknown_language = Kies een van de talen.
field-unknown_company = Geen bedrijf heeft deze naam of dit domein.
field-invalid_domain = Vul een domein in zoals example.com.
field-needs_open_stage = Een pijplijn heeft minstens één open fase nodig.
field-unknown_pipeline = Deze pijplijn bestaat niet.
field-invalid_name = Begin met een kleine letter, daarna kleine letters, cijfers of _.
field-taken = Dit is al in gebruik.
field-unknown_kind = Kies tekst, getal of datum.
field-options_need_text = Alleen teksteigenschappen hebben opties.
field-unknown_contact = Deze contactpersoon bestaat niet.
field-unknown_inbox = Deze inbox bestaat niet.
field-invalid_image = Upload een PNG-, JPEG-, GIF-, WebP- of ICO-afbeelding.
field-hidden_by_ticket_filter = Tickets die hier worden aangemaakt, zouden niet in het portaal van de klant verschijnen: het zichtbaarheidsfilter voor tickets verbergt ze.
field-invalid_host = Voer een hostnaam zoals imap.example.com of een IP-adres in.
field-unknown_zone = Kies een tijdzone uit de lijst.

## denied

denied-title = Toegang geweigerd
denied-body = Uw account mag dit portaal niet gebruiken. Neem contact op met het supportteam als u denkt dat dit een vergissing is.

## unavailable

unavailable-title = Portaal niet beschikbaar
unavailable-body = Dit klantenportaal is op dit moment niet beschikbaar.

## footer

footer-text = Klantenportaal

## reset: Password reset.

reset-title = Wachtwoord opnieuw instellen
reset-intro = Voer het e-mailadres van uw aanmelding in. Hoort het bij een account, dan sturen we u een link om een nieuw wachtwoord te kiezen.
reset-submit = Link versturen
reset-sent = Als er een account bij dit adres hoort, is er een link onderweg om het wachtwoord opnieuw in te stellen. Hij werkt één keer, 15 minuten lang.
reset-new_title = Kies een nieuw wachtwoord
reset-new_password = Nieuw wachtwoord
reset-rules = 8 tot 128 tekens. Zeer gangbare wachtwoorden worden geweigerd.
reset-end_sessions = Overal elders afmelden
reset-save = Wachtwoord opslaan
reset-invalid_link = Deze link is al gebruikt of verlopen. Vraag een nieuwe aan.

## register: Self-registration.

register-title = Account aanmaken
register-intro = Maak een aanmelding aan om uw supporttickets te volgen en in te dienen.
register-first_name = Voornaam
register-last_name = Achternaam
register-submit = Account aanmaken
register-sent = Bijna klaar: we hebben een link naar uw e-mailadres gestuurd. Open hem om het adres te bevestigen en meld u daarna aan.

## confirm: Email confirmation.

confirm-title = Bevestig uw e-mailadres
confirm-intro = Bevestig het adres om uw registratie af te ronden.
confirm-submit = Mijn adres bevestigen

## welcome

welcome-title = Stel uw wachtwoord in

## account: The account page.

account-title = Uw account
account-current_password = Huidig wachtwoord
account-save = Wachtwoord wijzigen
account-changed = Uw wachtwoord is gewijzigd.
account-end_others = Afmelden op mijn andere apparaten
account-zone = Tijdzone
account-zone_now = Tijden worden getoond in
account-zone_portal = Die van het portaal
account-zone_saved = Uw tijdzone is opgeslagen.

## sso

sso-failed-title = Single sign-on mislukt
sso-failed-body = Uw aanmelding kon niet worden voltooid. Probeer het opnieuw en neem contact op met support als het probleem blijft.

## link: Login links by email.

link-title = Inloggen via e-mail
link-ask = Stuur mij een inloglink
link-intro = Voer uw e-mailadres in. Als het een login heeft, sturen we u een link die u één keer, binnen 15 minuten, inlogt.
link-submit = Link versturen
link-sent = Als dit adres een login heeft, is er een link onderweg. Die werkt één keer, 15 minuten lang.
link-confirm_intro = Log in met de link uit uw e-mail.
link-confirm = Inloggen
link-used = Deze link is al gebruikt of verlopen. Vraag een nieuwe aan.

## format

format-list_separator = ;

## preview: The staff preview of the portal as a customer.

preview-banner = U bekijkt het portaal als { $name }: een voorbeeld, alleen lezen.
preview-end = Voorbeeld beëindigen
preview-read_only-title = Dit is een voorbeeld
preview-read_only-body = Zolang medewerkers het portaal als contact bekijken, kan niets worden gewijzigd.

## form

form-problems = Het formulier bevat fouten

## home: The portal's front page.

nav-home = Start
home-title = Helpcentrum
home-heading = Hoe kunnen we helpen?
home-search = Uw tickets doorzoeken
home-search_custom = Uw { $plural } doorzoeken
home-search_button = Zoeken
home-recent = Recente tickets
home-recent_custom = Recente { $plural }
home-all = Alle tickets
home-all_custom = Alle { $plural }
home-open = Open tickets
home-open_custom = Open { $plural }
home-none = U hebt nog geen tickets.
home-none_custom = U hebt nog geen { $plural }.
home-new_text = Beschrijf uw vraag of probleem; we antwoorden per e-mail en hier.
home-kb_text = Antwoorden op veelgestelde vragen, altijd beschikbaar.

# The organisation's access log (C4)
log-company = Uw bedrijf
log-company_help = Als portaalbeheerder van uw bedrijf ziet u wat uw collega's in het portaal hebben gedaan.
log-open = Toegangslogboek
log-switch = Uw bedrijven
log-title = Toegangslogboek van { $company }
log-intro = Wie in uw bedrijf de tickets van het bedrijf heeft bekeken, geëxporteerd, beantwoord, gesloten en overgedragen, en wanneer.
log-intro_custom = Wie in uw bedrijf de { $plural } van het bedrijf heeft bekeken, geëxporteerd, beantwoord, gesloten en overgedragen, en wanneer.
log-ticket = Ticket
log-ticket_custom = { $singular }
log-who = Wie
log-what = Wat
log-when = Wanneer
log-subject = Onderwerp
log-everyone = Iedereen
log-every_action = Elke actie
log-from = Van
log-to = Tot en met
log-csv = CSV downloaden
log-empty = Geen vermeldingen.
log-older = Oudere vermeldingen
log-newest = Nieuwste vermeldingen
log-bad_date = Een datum kon niet worden gelezen; schrijf hem als 2026-12-31.
log-viewed = bekeken
log-exported = { $count ->
    [one] één ticket
   *[other] { $count } tickets
} geëxporteerd
log-exported_custom = { $count ->
    [one] { $singular }
   *[other] { $count } { $plural }
} geëxporteerd
log-replied = beantwoord
log-closed = gesloten
log-handed_over = overgedragen aan een collega
log-action_viewed = Bekeken
log-action_exported = Geëxporteerd
log-action_replied = Beantwoord
log-action_closed = Gesloten
log-action_handed_over = Overgedragen

# What colleagues may do (C5)
people-open = Wat collega's mogen
people-title = Wat collega's bij { $company } mogen
people-intro = Kies wat elke collega met de tickets van het bedrijf mag doen. Vakjes die u niet kunt aanvinken, staat het supportteam niet toe.
people-intro_custom = Kies wat elke collega met de { $plural } van het bedrijf mag doen. Vakjes die u niet kunt aanvinken, staat het supportteam niet toe.
people-who = Collega
people-rights = Mag
people-see = zien
people-reply = beantwoorden
people-close = sluiten
people-save = Opslaan
people-saved = Opgeslagen.
people-none = Nog geen collega's.
