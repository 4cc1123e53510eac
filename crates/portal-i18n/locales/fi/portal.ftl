### portal: Customer portal pages (fi).
### Keys: dots in the code become dashes here (list.count is list-count).

## lang: The language itself: its name in the language menu.

lang-name = Suomi

## a11y: Accessibility helpers read by screen readers.

a11y-skip = Siirry sisältöön
a11y-close = Sulje

## nav: The header and navigation of the customer portal.

nav-tickets = Tiketit
nav-new_ticket = Tee tukipyyntö
nav-logout = Kirjaudu ulos
nav-language = Kieli
nav-change = Vaihda
nav-account = Tili
nav-knowledge_base = Tietopankki
nav-new_ticket_custom = Uusi: { $singular }

## label: What tickets are called when the admin has not renamed them.

label-ticket = Tiketti
label-tickets = Tiketit

## login: The login page.

login-title = Kirjaudu sisään
login-intro = Kirjaudu sisään nähdäksesi ja hallitaksesi tukipyyntöjäsi.
login-email = Sähköposti
login-password = Salasana
login-submit = Kirjaudu sisään
login-failed = Sähköposti tai salasana on väärin.
login-throttled =
    { $n ->
        [one] Liian monta yritystä. Odota { $n } sekunti ja yritä uudelleen.
       *[other] Liian monta yritystä. Odota { $n } sekuntia ja yritä uudelleen.
    }
login-logged_out = Olet kirjautunut ulos.
login-expired = Istuntosi on päättynyt. Kirjaudu sisään uudelleen.
login-forgot = Unohditko salasanasi?
login-reset_done = Salasanasi on vaihdettu. Kirjaudu uudella salasanalla.
login-register = Eikö sinulla ole tunnusta? Luo tili
login-confirmed = Sähköpostiosoitteesi on vahvistettu. Voit nyt kirjautua sisään.
login-welcome_done = Salasanasi on asetettu. Kirjaudu nyt sisään.
login-sso_saml = Kirjaudu yrityksesi tunnuksella
login-sso_jwt = Kirjaudu kertakirjautumisella
login-or = tai

## list: The ticket list: search, view, filters, sorting, counts.

list-view = Näkymä
list-view_organization = Organisaation tiketit
list-view_all_companies = Kaikkien yritysteni tiketit
list-view_all_companies_custom = Kaikkien yritysteni { $plural }
list-view_mine = Omat tiketit
list-view_shared = Jaettu kanssani
list-search = Hae
list-search_placeholder = Hae aiheesta ja viesteistä
list-status = Tila
list-status_any = Kaikki
list-filter = Suodatin
list-filter_any = Mikä tahansa
list-apply = Käytä
list-clear = Tyhjennä
list-export = Vie CSV-tiedostoon
list-count_more = Yli { $n } tikettiä
list-count =
    { $n ->
        [one] { $n } tiketti
       *[other] { $n } tikettiä
    }
list-empty = Ei hakua vastaavia tikettejä.
list-next = Seuraava sivu
list-first = Ensimmäinen sivu
list-sort_by = Järjestä sarakkeen { $column } mukaan
list-sorted_asc = nousevassa järjestyksessä
list-sorted_desc = laskevassa järjestyksessä
list-count_custom =
    { $n ->
        [one] { $singular }: { $n }
       *[other] { $plural }: { $n }
    }
list-count_more_custom = { $plural }: yli { $n }
list-view_organization_custom = Organisaatio: { $plural }
list-view_mine_custom = Omat: { $plural }
list-view_shared_custom = Jaettu kanssani: { $plural }
list-empty_custom = { $plural }: ei hakua vastaavia.
list-welcome = Tervetuloa! Sinulla ei ole vielä tikettejä.
list-welcome_custom = Tervetuloa! { $plural }: ei vielä yhtään.
list-welcome_next = Aloita tästä:
list-date_from = alkaen
list-date_to = asti
list-export_excel = CSV Exceliin
list-filters = Suodattimet
list-active_filters = Käytössä olevat suodattimet
list-remove_filter = Poista suodatin: { $filter }

## col: Ticket list columns.

col-id = Tiketin tunnus
col-subject = Aihe
col-requested_by = Pyytäjä
col-created_at = Luontipäivä
col-owner = Tiketin omistaja
col-last_activity_at = Viimeisin toiminta
col-status = Tila
col-pipeline = Prosessi
col-stage = Vaihe
col-inbox = Saapuneet
col-owner_custom = Omistaja
col-id_custom = { $singular }: tunnus

## status: Ticket states.

status-open = Avoin
status-closed = Suljettu

## detail: One ticket: its messages, reply form, closing.

detail-back = Takaisin luetteloon
detail-properties = Tiedot
detail-conversation = Keskustelu
detail-no_messages = Ei vielä viestejä.
detail-you = Sinä
detail-support = Tuki
detail-attachments = Liitteet
detail-reply = Vastaa
detail-reply_help = Muotoilu: **lihavointi**, *kursiivi*, - luettelot, [linkit](https://example.com).
detail-attach = Liitä tiedostoja
detail-attach_help =
    { $files ->
        [one] Enintään { $files } tiedosto, { $file_mb } Mt, yhteensä { $total_mb } Mt.
       *[other] Enintään { $files } tiedostoa, kukin { $file_mb } Mt, yhteensä { $total_mb } Mt.
    }
detail-send = Lähetä vastaus
detail-close = Sulje tiketti
detail-closed_no_reply = Tämä tiketti on suljettu. Vastaaminen ei ole mahdollista.
detail-replied = Vastauksesi on lähetetty.
detail-closed = Tiketti on suljettu.
detail-bold = Lihavointi
detail-italic = Kursiivi
detail-list = Luettelo
detail-close_custom = Sulje: { $singular }
detail-closed_no_reply_custom = { $singular }: suljettu. Vastaaminen ei ole mahdollista.
detail-closed_custom = { $singular }: suljettu.
detail-people = Tiketissä mukana
detail-people_custom = Mukana ({ $singular })
detail-people_help = Lisäämäsi henkilöt näkevät tiketin ja sen vastaukset, voivat vastata ja saavat ilmoituksen uusista vastauksista.
detail-people_help_custom = Lisäämäsi henkilöt näkevät kohteen ({ $singular }) ja sen vastaukset, voivat vastata ja saavat ilmoituksen uusista vastauksista.
detail-add_person = Lisää henkilö sähköpostiosoitteella
detail-add_person_button = Lisää
detail-remove_person = Poista
detail-leave = Poistu tiketistä
detail-leave_custom = Poistu ({ $singular })
detail-person_added = Henkilö lisättiin tikettiin.
detail-person_added_custom = Henkilö lisättiin ({ $singular }).
detail-person_removed = Henkilö poistettiin tiketistä.
detail-person_removed_custom = Henkilö poistettiin ({ $singular }).
detail-hand_over = Siirrä tiketti työtoverille (sähköposti)
detail-hand_over_custom = Siirrä työtoverille ({ $singular }, sähköposti)
detail-hand_over_stay = Pysy mukana tiketissä
detail-hand_over_stay_custom = Pysy mukana ({ $singular })
detail-hand_over_button = Siirrä
detail-hand_over_help = Työtoverisi tulee tiketin pyytäjäksi; saatte molemmat sähköpostin.
detail-handed_over = Tiketti siirrettiin.
detail-handed_over_custom = { $singular }: siirretty.
detail-private = Tämä tiketti on yksityinen: vain siihen lisätyt henkilöt näkevät sen.
detail-private_custom = { $singular }: yksityinen. Vain siihen lisätyt henkilöt näkevät sen.
detail-shared = Kaikki yrityksesi henkilöt, joilla on pääsy sen tiketteihin, näkevät tämän tiketin.
detail-shared_custom = Kaikki yrityksesi henkilöt, joilla on pääsy ({ $plural }), näkevät tämän.
detail-make_private = Tee yksityiseksi
detail-make_shared = Jaa yritykseni kanssa
detail-made_private = Tiketti on nyt yksityinen.
detail-made_private_custom = { $singular }: nyt yksityinen.
detail-made_shared = Tiketti on nyt jaettu yrityksesi kanssa.
detail-made_shared_custom = { $singular }: nyt jaettu yrityksesi kanssa.

## new: Filing a new ticket.

new-title = Tee tukipyyntö
new-subject = Aihe
new-description = Kuvaus
new-submit = Lähetä
new-created = Tikettisi on luotu.
new-created_custom = { $singular }: luotu.
new-on_behalf = Työtoverin puolesta (sähköposti, valinnainen)
new-on_behalf_help = Työtoverisi tulee pyytäjäksi ja saa sähköpostin; sinä pysyt mukana.
new-on_behalf_help_custom = Työtoverisi tulee pyytäjäksi ({ $singular }) ja saa sähköpostin; sinä pysyt mukana.
new-privacy = Kuka näkee tämän tiketin
new-privacy_custom = Kuka näkee tämän ({ $singular })
new-shared = Kaikki yritykseni henkilöt, joilla on pääsy
new-private = Vain minä ja lisäämäni henkilöt
new-header = Miten voimme auttaa?
new-title_custom = Uusi: { $singular }

## error: Errors shown on pages.

error-not_found-title = Ei löytynyt
error-not_found-body = Tätä sivua ei ole olemassa, tai sinulla ei ole siihen pääsyä.
error-csrf-title = Lomake vanhentui
error-csrf-body = Lomake oli liian vanha tai tuli toiselta sivustolta. Palaa takaisin, lataa sivu uudelleen ja yritä uudelleen.
error-invalid-title = Tarkista tiedot
error-unavailable-title = Tilapäisesti poissa käytöstä
error-unavailable-body = Palvelu on kuormittunut. Yritä hetken kuluttua uudelleen.
error-control_character = Lomake tai osoite sisältää ohjausmerkin (kuten NUL), jota ei sallita. Poista se ja yritä uudelleen.
error-internal-title = Jokin meni vikaan
error-internal-body = Tapahtui odottamaton virhe. Yritä myöhemmin uudelleen.
error-too_large = Lähetys on liian suuri.
error-upload-too_many =
    { $n ->
        [one] Voit liittää enintään { $n } tiedoston.
       *[other] Voit liittää enintään { $n } tiedostoa.
    }
error-upload-file_too_large = Kukin tiedosto saa olla enintään { $n } Mt.
error-upload-total_too_large = Tiedostot saavat olla yhteensä enintään { $n } Mt.
error-upload-empty = Tyhjiä tiedostoja ei voi liittää.
error-reply_closed = Suljettuihin tiketteihin ei voi vastata.
error-close_disabled = Tikettien sulkeminen ei ole sallittua.
error-cc_disabled = Henkilöiden lisääminen tiketteihin ei ole sallittua.
error-cc_disabled_custom = Henkilöiden lisääminen ei ole sallittua ({ $plural }).
error-cc_not_requester = Vain tiketin pyytäjä voi muuttaa, ketkä ovat tiketissä mukana.
error-cc_not_requester_custom = Vain pyytäjä voi muuttaa, ketkä ovat mukana ({ $singular }).
error-cc_address_refused = Tällä osoitteella ei voi lisätä ketään tähän tikettiin.
error-cc_address_refused_custom = Tällä osoitteella ei voi lisätä ketään ({ $singular }).
error-cc_already = Henkilö on jo mukana tiketissä.
error-cc_already_custom = Henkilö on jo mukana ({ $singular }).
error-cc_not_participant = Henkilö ei ole mukana tiketissä.
error-cc_not_participant_custom = Henkilö ei ole mukana ({ $singular }).
error-cc_email = Anna sähköpostiosoite.
error-hand_over_refused = Tiketin voi siirtää vain oman yrityksesi työtoverille.
error-hand_over_refused_custom = { $singular }: siirto vain oman yrityksesi työtoverille.
error-privacy_choice_off = Et voi valita, kuka näkee tämän tiketin.
error-privacy_choice_off_custom = Et voi valita, kuka näkee tämän ({ $singular }).
error-privacy_not_requester = Vain pyytäjä voi muuttaa, kuka näkee tämän tiketin.
error-privacy_not_requester_custom = Vain pyytäjä voi muuttaa, kuka näkee tämän ({ $singular }).
error-on_behalf_refused = Tiketin voi luoda vain oman yrityksesi työtoverin puolesta.
error-on_behalf_refused_custom = { $singular }: vain oman yrityksesi työtoverin puolesta.
error-company_reply_right = Voit lukea yrityksesi tikettejä mutta et vastata niihin.
error-company_reply_right_custom = Voit lukea yrityksesi kohteita ({ $plural }) mutta et vastata niihin.
error-company_close_right = Voit lukea yrityksesi tikettejä mutta et sulkea niitä.
error-company_close_right_custom = Voit lukea yrityksesi kohteita ({ $plural }) mutta et sulkea niitä.
error-already_closed = Tiketti on jo suljettu.
error-no_closed_stage = Tikettiä ei voi vielä sulkea. Ota yhteyttä tukeen.
error-bad_request-title = Pyyntöä ei voitu käsitellä
error-bad_request-body = Lomakkeesta tai osoitteesta puuttui jotain tai se oli virheellinen. Palaa takaisin, lataa sivu uudelleen ja yritä uudelleen.
error-conflict-title = Muutettu välillä
error-conflict-body = Joku muutti tätä samaan aikaan. Lataa sivu uudelleen ja yritä uudelleen.

## field: Problems with one form field, shown next to it.

field-required = Tämä kenttä on pakollinen.
field-too_long = Teksti on liian pitkä.
field-control_character = Teksti sisältää ohjausmerkin, jota ei sallita.
field-invalid_number = Anna kokonaisluku.
field-invalid_date = Anna päivämäärä muodossa VVVV-KK-PP.
field-invalid_option = Valitse jokin vaihtoehdoista.
field-not_a_colleague = Vain oman yrityksesi työtoveri voidaan valita.
field-invalid = Arvo ei kelpaa.
field-too_short = Käytä vähintään 8 merkkiä.
field-too_common = Tämä salasana on liian yleinen. Valitse toinen.
field-invalid_email = Anna kelvollinen sähköpostiosoite.
field-wrong_password = Nykyinen salasana on väärin.
field-unknown = Tätä arvoa ei tunneta.
field-builtin_property = Sisäänrakennettua ominaisuutta ei voi käyttää tässä.
field-duplicate = Tämä on jo käytössä.
field-invalid_color = Anna väri muodossa #1d4ed8.
field-invalid_filter = Suodatin ei sovi näihin ominaisuuksiin.
field-no_way_in = Näillä asetuksilla kukaan ei voi kirjautua.
field-not_closed_stage = Valitse tämän putken suljettu vaihe.
field-out_of_range = Arvo on sallitun alueen ulkopuolella.
field-too_many = Niitä on liikaa.
field-unknown_property = Tällaista ominaisuutta ei ole.
field-unknown_operator = Käytä jotakin luetelluista operaattoreista.
field-invalid_url = Anna http(s)://-osoite tai /-alkuinen polku.
field-invalid_slug = Käytä pieniä kirjaimia, numeroita ja yksittäisiä yhdysmerkkejä.
field-reserved = Tämä polku on varattu.
field-unknown_language = Valitse jokin kielistä.
field-unknown_company = Millään yrityksellä ei ole tätä nimeä tai verkkotunnusta.
field-invalid_domain = Anna verkkotunnus, esimerkiksi example.com.
field-needs_open_stage = Putkessa on oltava vähintään yksi avoin vaihe.
field-unknown_pipeline = Tällaista putkea ei ole.
field-invalid_name = Aloita pienellä kirjaimella, sitten pieniä kirjaimia, numeroita tai _.
field-taken = Tämä on jo käytössä.
field-unknown_kind = Valitse teksti, numero tai päivämäärä.
field-options_need_text = Vain tekstiominaisuuksilla on vaihtoehtoja.
field-unknown_contact = Tällaista yhteyshenkilöä ei ole.
field-unknown_inbox = Tällaista saapuneet-kansiota ei ole.
field-invalid_image = Lähetä PNG-, JPEG-, GIF-, WebP- tai ICO-kuva.
field-hidden_by_ticket_filter = Tänne luodut tiketit eivät näkyisi asiakkaan portaalissa: tikettien näkyvyyssuodatin piilottaa ne.
field-invalid_host = Anna palvelimen nimi, kuten imap.example.com, tai IP-osoite.
field-unknown_zone = Valitse aikavyöhyke luettelosta.

## denied

denied-title = Pääsy estetty
denied-body = Tililläsi ei ole oikeutta käyttää tätä portaalia. Ota yhteyttä tukitiimiin, jos uskot tämän olevan virhe.

## unavailable

unavailable-title = Portaali ei ole käytettävissä
unavailable-body = Tämä asiakasportaali ei ole tällä hetkellä käytettävissä.

## footer

footer-text = Asiakasportaali

## reset: Password reset.

reset-title = Vaihda salasana
reset-intro = Anna tunnuksesi sähköpostiosoite. Jos se kuuluu tiliin, lähetämme linkin, jolla voit valita uuden salasanan.
reset-submit = Lähetä linkki
reset-sent = Jos tälle osoitteelle on tili, salasanan vaihtolinkki on matkalla. Se toimii kerran, 15 minuutin ajan.
reset-new_title = Valitse uusi salasana
reset-new_password = Uusi salasana
reset-rules = 8–128 merkkiä. Hyvin yleiset salasanat hylätään.
reset-end_sessions = Kirjaudu ulos kaikkialta muualta
reset-save = Tallenna salasana
reset-invalid_link = Tämä linkki on jo käytetty tai vanhentunut. Pyydä uusi linkki.

## register: Self-registration.

register-title = Luo tili
register-intro = Luo tunnus seurataksesi ja tehdäksesi tukipyyntöjä.
register-first_name = Etunimi
register-last_name = Sukunimi
register-submit = Luo tili
register-sent = Melkein valmista: lähetimme linkin sähköpostiisi. Avaa se vahvistaaksesi osoitteen ja kirjaudu sitten sisään.

## confirm: Email confirmation.

confirm-title = Vahvista sähköpostiosoitteesi
confirm-intro = Vahvista osoite viimeistelläksesi rekisteröitymisen.
confirm-submit = Vahvista osoitteeni

## welcome

welcome-title = Aseta salasanasi

## account: The account page.

account-title = Tilisi
account-current_password = Nykyinen salasana
account-save = Vaihda salasana
account-changed = Salasanasi on vaihdettu.
account-end_others = Kirjaudu ulos muilta laitteiltani
account-zone = Aikavyöhyke
account-zone_now = Ajat näytetään vyöhykkeellä
account-zone_portal = Portaalin
account-zone_saved = Aikavyöhykkeesi on tallennettu.

## sso

sso-failed-title = Kertakirjautuminen epäonnistui
sso-failed-body = Kirjautumista ei voitu viedä loppuun. Yritä uudelleen ja ota yhteyttä tukeen, jos ongelma jatkuu.

## link: Login links by email.

link-title = Kirjaudu sähköpostilla
link-ask = Lähetä minulle kirjautumislinkki
link-intro = Anna sähköpostiosoitteesi. Jos sillä on tunnus, lähetämme linkin, joka kirjaa sinut sisään kerran 15 minuutin kuluessa.
link-submit = Lähetä linkki
link-sent = Jos osoitteella on tunnus, linkki on matkalla. Se toimii kerran 15 minuutin ajan.
link-confirm_intro = Kirjaudu sähköpostin linkillä.
link-confirm = Kirjaudu
link-used = Linkki on jo käytetty tai vanhentunut. Pyydä uusi.

## format

format-list_separator = ;

## preview: The staff preview of the portal as a customer.

preview-banner = Katselet portaalia käyttäjänä { $name }: vain luku -esikatselu.
preview-end = Lopeta esikatselu
preview-read_only-title = Tämä on esikatselu
preview-read_only-body = Mitään ei voi muuttaa, kun henkilökunta esikatselee portaalia yhteyshenkilönä.

## form

form-problems = Lomakkeessa on virheitä

## home: The portal's front page.

nav-home = Etusivu
home-title = Tukipalvelu
home-heading = Miten voimme auttaa?
home-search = Hae tiketeistäsi
home-search_custom = Hae: { $plural }
home-search_button = Hae
home-recent = Viimeisimmät tiketit
home-recent_custom = Viimeisimmät: { $plural }
home-all = Kaikki tiketit
home-all_custom = Kaikki: { $plural }
home-open = Avoimet tiketit
home-open_custom = Avoimet: { $plural }
home-none = Sinulla ei ole vielä tikettejä.
home-none_custom = Sinulla ei ole vielä: { $plural }.
home-new_text = Kuvaile kysymyksesi tai ongelmasi, niin vastaamme sähköpostilla ja täällä.
home-kb_text = Vastauksia yleisiin kysymyksiin milloin tahansa.

# The organisation's access log (C4)
log-company = Yrityksesi
log-company_help = Yrityksesi portaalin ylläpitäjänä näet, mitä työtoverisi ovat tehneet portaalissa.
log-open = Käyttöloki
log-switch = Yrityksesi
log-title = Käyttöloki: { $company }
log-intro = Kuka yrityksessäsi on katsonut, vienyt, vastannut, sulkenut ja siirtänyt yrityksen tikettejä, ja milloin.
log-intro_custom = Kuka yrityksessäsi on katsonut, vienyt, vastannut, sulkenut ja siirtänyt yrityksen kohteita ({ $plural }), ja milloin.
log-ticket = Tiketti
log-ticket_custom = { $singular }
log-who = Kuka
log-what = Mitä
log-when = Milloin
log-subject = Aihe
log-everyone = Kaikki
log-every_action = Kaikki toiminnot
log-from = Alkaen
log-to = Asti
log-csv = Lataa CSV
log-empty = Ei merkintöjä.
log-older = Vanhemmat merkinnät
log-newest = Uusimmat merkinnät
log-bad_date = Päivämäärää ei voitu lukea; kirjoita se muodossa 2026-12-31.
log-viewed = katsoi
log-exported = vei { $count ->
    [one] yhden tiketin
   *[other] { $count } tikettiä
}
log-exported_custom = vei { $count ->
    [one] yhden ({ $singular })
   *[other] { $count } ({ $plural })
}
log-replied = vastasi
log-closed = sulki
log-handed_over = siirsi työtoverille
log-action_viewed = Katsottu
log-action_exported = Viety
log-action_replied = Vastattu
log-action_closed = Suljettu
log-action_handed_over = Siirretty

# What colleagues may do (C5)
people-open = Mitä työtoverit saavat tehdä
people-title = Mitä työtoverit yrityksessä { $company } saavat tehdä
people-intro = Valitse, mitä kukin työtoveri saa tehdä yrityksen tiketeillä. Ruutuja, joita et voi valita, tukitiimi ei salli.
people-intro_custom = Valitse, mitä kukin työtoveri saa tehdä yrityksen kohteilla ({ $plural }). Ruutuja, joita et voi valita, tukitiimi ei salli.
people-who = Työtoveri
people-rights = Saa
people-see = nähdä
people-reply = vastata
people-close = sulkea
people-save = Tallenna
people-saved = Tallennettu.
people-none = Ei vielä työtovereita.
