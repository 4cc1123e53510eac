### portal: Staff pages (inbox, tickets, settings) (fi).
### Keys: dots in the code become dashes here (list.count is list-count).

## admin.agents

admin-agents-title = Tukihenkilöt
admin-agents-alias = Alias
admin-agents-help = Asiakkaat näkevät aliaksen tiketin omistajana, kun omistajan näyttötapa on alias.

## admin.answer

admin-answer-empty = Kirjoita viesti tai liitä tiedosto.

## admin.any

admin-any = Kaikki

## admin.channel

admin-channel-portal = portaalissa
admin-channel-email = sähköpostilla
admin-channel-api = API:n kautta
admin-channel-inbox = saapuneissa
admin-channel-import = tuotu

## admin.companies

admin-companies-title = Yritykset
admin-companies-search = Nimi tai verkkotunnus sisältää
admin-companies-empty = Ei yrityksiä.
admin-companies-new = Uusi yritys
admin-companies-edit = Muokkaa yritystä
admin-companies-domain = Verkkotunnus

## admin.conflict

admin-conflict-title = Muutettu välillä
admin-conflict-body = Joku tallensi asetukset sivun avaamisen jälkeen. Lataa sivu uudelleen ja tee muutos uudestaan.

## admin.contact

admin-contact-event-submitted = jätti tiketin portaalissa
admin-contact-event-replied = vastasi portaalissa
admin-contact-event-closed = sulki tiketin portaalissa
admin-contact-event-cc_added = lisäsi henkilön tikettiin portaalissa
admin-contact-event-cc_removed = poisti henkilön tiketistä portaalissa
admin-contact-event-handed_over = siirsi tiketin työtoverille portaalissa
admin-contact-event-made_private = teki tiketistä yksityisen portaalissa
admin-contact-event-made_shared = jakoi tiketin yrityksen kanssa portaalissa
admin-contact-event-mail_ticket = avasi tiketin sähköpostilla
admin-contact-event-mail_reply = vastasi sähköpostilla

## admin.contacts

admin-contacts-title = Yhteyshenkilöt
admin-contacts-search = Nimi tai sähköposti sisältää
admin-contacts-empty = Ei yhteyshenkilöitä.
admin-contacts-new = Uusi yhteyshenkilö
admin-contacts-edit = Muokkaa yhteyshenkilöä
admin-contacts-first_name = Etunimi
admin-contacts-last_name = Sukunimi
admin-contacts-membership_email = Jäsenyyden sähköposti (rekisteröintiviestit lähetetään tänne)
admin-contacts-company = Ensisijainen yritys
admin-contacts-language = Kieli
admin-contacts-login = Portaalin kirjautuminen
admin-contacts-company_admin = Yrityksen portaalin ylläpitäjä
admin-contacts-company_admin_yes = Kyllä: lukee yrityksen käyttölokia portaalissa
admin-contacts-company_admin_no = Ei
admin-contacts-company_admin_on = Tee portaalin ylläpitäjäksi
admin-contacts-company_admin_off = Ei enää portaalin ylläpitäjä
admin-contacts-explain = Näe portaali tämän yhteyshenkilön silmin
admin-contacts-timeline = Aikajana
admin-contacts-no_activity = Ei vielä toimintaa portaalissa.
admin-contacts-tickets = Tiketit
admin-contacts-no_tickets = Ei tikettejä.
admin-contacts-own = oma
admin-contacts-of_company = yritys

## admin.done

admin-done-replied = Vastauksesi lähetettiin; asiakas saa sähköpostin.
admin-done-noted = Sisäinen muistiinpanosi tallennettiin.
admin-done-stage = Tiketti siirrettiin.
admin-done-owner = Vastuuhenkilö vaihdettiin.
admin-done-participant_added = Osallistuja lisättiin.
admin-done-participant_removed = Osallistuja poistettiin.
admin-done-requester = Pyytäjä vaihdettiin.
admin-done-properties = Tiketti tallennettiin.
admin-done-contact_saved = Yhteyshenkilö tallennettiin.
admin-done-company_saved = Yritys tallennettiin.
admin-done-pipeline_saved = Putki tallennettiin.
admin-done-inbox_saved = Saapuneet-kansio luotiin.
admin-done-property_saved = Ominaisuus luotiin.
admin-done-alias_saved = Alias tallennettiin.
admin-done-token_revoked = Tunnus peruttiin.
admin-done-login_disabled = Kirjautuminen poistettiin käytöstä; sen istunnot päättyivät.
admin-done-login_enabled = Kirjautuminen otettiin käyttöön.
admin-memberships-title = Yritykset
admin-memberships-help = Yhteyshenkilö näkee kunkin yrityksen tiketit oikeuksiensa mukaan: portaalin sääntöjen mukaan (kuka näkee, vastaa ja sulkee yrityksen tikettejä) tai tässä tälle yritykselle myönnetyn mukaan. Yrityksen portaalin ylläpitäjät voivat rajoittaa työtoveria lisää.
admin-memberships-rights = Oikeudet
admin-memberships-limited = Yrityksen portaalin ylläpitäjän rajoittama
admin-memberships-primary = ensisijainen
admin-memberships-rules = Portaalin säännöt
admin-memberships-custom = Myönnetty tässä:
admin-memberships-see = näkee
admin-memberships-reply = vastaa
admin-memberships-close = sulkee
admin-memberships-remove = Poista
admin-memberships-add = Lisää yritykseen
admin-memberships-add_placeholder = Nimi tai verkkotunnus
admin-memberships-add_button = Lisää
admin-done-membership_saved = Jäsenyys tallennettiin.
admin-done-membership_removed = Yhteyshenkilö poistettiin yrityksestä.
admin-done-company_admin_on = Yhteyshenkilö on nyt yrityksensä portaalin ylläpitäjä ja näkee sen käyttölokin.
admin-done-company_admin_off = Yhteyshenkilö ei ole enää yrityksensä portaalin ylläpitäjä.

## admin.explain

admin-explain-title = Selitä pääsy
admin-explain-intro = Näe portaali kuten yhteyshenkilö: jokainen yhteyshenkilön ja sen yrityksen tiketti sekä sääntö, joka näyttää tai piilottaa sen.
admin-explain-contact = Yhteyshenkilön sähköposti
admin-explain-show = Selitä
admin-explain-missing = Millään yhteyshenkilöllä ei ole tätä sähköpostia.
admin-explain-summary =
    { $total ->
        [one] Näkee { $visible }/{ $total } tiketin.
       *[other] Näkee { $visible }/{ $total } tikettiä.
    }
admin-explain-sees = Näkee
admin-explain-rule = Sääntö
admin-explain-own = oma tiketti (liitetty yhteyshenkilöön)
admin-explain-company = yrityksen tiketti (yrityspääsy on päällä)
admin-explain-group = yrityksen tiketti (suodatinryhmä { $n } täsmää)
admin-explain-not_associated = ei liitetty yhteyshenkilöön eikä sen pääyritykseen
admin-explain-company_off = yrityksen tiketti, mutta yrityspääsy on pois
admin-explain-no_group = yrityksen tiketti, mutta yhteyshenkilö ei täsmää mihinkään suodatinryhmään
admin-explain-filtered = piilotettu tikettien näkyvyyssuodattimella
admin-explain-private = yksityinen tiketti (vain pyytäjä ja osallistujat näkevät sen)
admin-explain-grant_all = Yrityksen tiketit: kyllä, jokainen yrityksen yhteyshenkilö.
admin-explain-grant_group = Yrityksen tiketit: kyllä, suodatinryhmä { $n } täsmää.
admin-explain-grant_off = Yrityksen tiketit: ei, yrityspääsy on pois.
admin-explain-grant_none = Yrityksen tiketit: ei, yhteyshenkilö ei täsmää mihinkään suodatinryhmään.
admin-explain-grant_no_company = Yrityksen tiketit: ei, yhteyshenkilöllä ei ole pääyritystä.

## admin.forbidden

admin-forbidden-title = Ei sallittu
admin-forbidden-body = Roolisi ei salli tätä. Kysy ylläpitäjältä.

## admin.inbox

admin-inbox-title = Saapuneet
admin-inbox-inbox = Saapuneet-kansio
admin-inbox-stage = Vaihe
admin-inbox-owner = Vastuuhenkilö
admin-inbox-status = Tila
admin-inbox-mine = Omat
admin-inbox-unassigned = Ei vastuuhenkilöä
admin-inbox-apply = Näytä
admin-inbox-subject = Aihe
admin-inbox-requester = Pyytäjä
admin-inbox-activity = Viimeisin toiminta
admin-inbox-empty = Ei vastaavia tikettejä.
admin-inbox-channel = Kanava

## admin.inboxes

admin-inboxes-title = Saapuneet-kansiot
admin-inboxes-new = Uusi saapuneet-kansio
admin-inboxes-default = portaalin oletuskansio

## admin.lists

admin-lists-title = Yhteystietolistat
admin-lists-new = Uusi lista
admin-lists-create = Luo
admin-lists-name = Nimi
admin-lists-members = Jäsenet
admin-lists-group = pääsyryhmä (jäsenet voivat kirjautua ja saavat rekisteröitymisviestin)
admin-lists-add = Lisää yhteyshenkilö sähköpostilla
admin-lists-add_button = Lisää
admin-lists-remove = Poista
admin-lists-invite = Lähetä rekisteröitymisviesti uudelleen
admin-lists-has_login = on tunnus
admin-lists-no_login = ei vielä tunnusta
admin-lists-no_contact = Millään yhteyshenkilöllä ei ole tätä sähköpostia.
admin-lists-not_group = Tämä lista ei ole pääsyryhmä.
admin-lists-done_added = Yhteyshenkilö lisättiin.
admin-lists-done_invited = Rekisteröitymisviesti on matkalla.
admin-lists-done_removed = Yhteyshenkilö poistettiin listalta.
admin-lists-empty = Ei vielä listoja.

## admin.login

admin-login-title = Tiimin kirjautuminen
admin-login-disable = Poista kirjautuminen käytöstä
admin-login-enable = Ota kirjautuminen käyttöön
admin-login-disabled = poissa käytöstä
admin-login-active = käytössä

## admin.mailboxes

admin-mailboxes-title = Postilaatikot
admin-mailboxes-intro = IMAP-postilaatikot, joita portaali lukee saapuneisiinsa: jokaisesta uudesta viestistä tulee tiketti tai vastaus, kuten portal.toml-tiedoston [[mail.inbound]]-kohdissa (myös ne luetaan). Muutokset ehtivät jokaiselle palvelimelle sekunneissa. Salasana sinetöidään palvelimen salaisella avaimella, eikä sitä näytetä enää.
admin-mailboxes-address = Postilaatikko
admin-mailboxes-status = Viimeisin kierros
admin-mailboxes-off = pois päältä
admin-mailboxes-unchecked = ei vielä luettu
admin-mailboxes-working = toimii (luettu viimeksi { $at })
admin-mailboxes-failing = virhe { $at } alkaen: { $error }
admin-mailboxes-every = { $n } s välein
admin-mailboxes-password_unreadable = Tämä palvelin ei pysty avaamaan tallennettua salasanaa (se sinetöitiin toisella salaisella avaimella): anna se uudelleen.
admin-mailboxes-edit = Muokkaa
admin-mailboxes-delete = Poista
admin-mailboxes-empty = Postilaatikoita ei ole vielä lisätty.
admin-mailboxes-add = Lisää postilaatikko
admin-mailboxes-host = IMAP-palvelin
admin-mailboxes-port = Portti
admin-mailboxes-port_help = Tyhjä: 993 TLS:n kanssa, 143 ilman.
admin-mailboxes-tls = TLS ensimmäisestä tavusta (IMAPS); poista käytöstä vain tämän koneen tai yksityisverkon palvelimelle
admin-mailboxes-user = Käyttäjätunnus
admin-mailboxes-password = Salasana
admin-mailboxes-password_keep = Jätä tyhjäksi, niin tallennettu salasana säilyy.
admin-mailboxes-folder = Kansio
admin-mailboxes-poll_seconds = Sekuntia kierrosten välillä (5–3600; jos palvelin tukee IDLEä, uusi posti haetaan heti)
admin-mailboxes-delete_taken = Poista haetut viestit palvelimelta (muuten ne jäävät haetuiksi merkittyinä)
admin-mailboxes-enabled = Lue tätä postilaatikkoa
admin-mailboxes-cancel = Peruuta
admin-mailboxes-created = Postilaatikko lisättiin; portaali lukee sitä sekunneissa.
admin-mailboxes-saved = Postilaatikko tallennettiin.
admin-mailboxes-deleted = Postilaatikko poistettiin.

## admin.mailin

admin-mailin-title = Pidätetyt saapuneet viestit
admin-mailin-intro = Saapuneet viestit, joista ei tullut tikettiä eikä vastausta, uusimmat ensin, syineen. Lataa alkuperäinen viesti, korjaa syy (lisää esimerkiksi yhteyshenkilö) ja yritä uudelleen tai poista viesti.
admin-mailin-received = Vastaanotettu
admin-mailin-inbox = Saapuneet-kansio
admin-mailin-sender = Lähettäjä
admin-mailin-subject = Aihe
admin-mailin-reason = Syy
admin-mailin-download = Lataa
admin-mailin-retry = Yritä uudelleen
admin-mailin-delete = Poista
admin-mailin-retried = Viesti käsiteltiin uudelleen.
admin-mailin-deleted = Viesti on poistettu.
admin-mailin-empty = Yhtään viestiä ei ole pidätetty.
admin-mailin-reason-unparsable = ei luettavissa sähköpostiviestinä
admin-mailin-reason-too_large = suurempi kuin latausrajat sallivat
admin-mailin-reason-no_sender = ei lähettäjän osoitetta
admin-mailin-reason-unknown_sender = lähettäjän osoite ei kuulu yhdellekään yhteyshenkilölle, eikä tämä kansio luo yhteyshenkilöitä
admin-mailin-reason-attachment_limit = liitteet ylittävät latausrajat
admin-mailin-reason-empty = ei tekstiä eikä liitteitä
admin-mailin-reason-invalid = teksti on pidempi kuin viesti saa olla
admin-mailin-reason-unknown_inbox = kansiota ei enää ole
admin-mailin-reason-raw_missing = alkuperäinen viesti puuttuu tallennuksesta

## admin.menu

admin-menu = Valikko

## admin.name

admin-name = Tiimi

## admin.no

admin-no = ei

## admin.outbox

admin-outbox-title = Toimittamattomat viestit
admin-outbox-intro = Viestit, joista palvelin luopui uusintayritysten jälkeen, uusimmat ensin. Korjaa syy (osoite, postipalvelin) ja lähetä ne uudelleen.
admin-outbox-to = Vastaanottaja
admin-outbox-kind = Viesti
admin-outbox-attempts = Yritykset
admin-outbox-error = Viimeisin virhe
admin-outbox-resend = Lähetä uudelleen
admin-outbox-resent = Viesti on taas jonossa.
admin-outbox-empty = Kaikki viestit toimitettiin.

## admin.pipelines

admin-pipelines-title = Putket ja saapuneet-kansiot
admin-pipelines-new = Uusi putki
admin-pipelines-label = Nimi
admin-pipelines-add_stage = Uusi vaihe
admin-pipelines-closed = suljettu vaihe
admin-pipelines-open_stages = Avoimet vaiheet, yksi riviä kohden, järjestyksessä
admin-pipelines-closed_stages = Suljetut vaiheet, yksi riviä kohden

## admin.portal

admin-portal = Asiakasportaali

## admin.preview

admin-preview = Avaa portaali tämän yhteyshenkilön näkymänä (vain luku)

## admin.properties

admin-properties-title = Ominaisuudet
admin-properties-tickets = Tikettien ominaisuudet
admin-properties-contacts = Yhteyshenkilöiden ominaisuudet
admin-properties-new = Uusi ominaisuus
admin-properties-object = Kohde
admin-properties-name = Sisäinen nimi
admin-properties-kind = Tyyppi
admin-properties-options = Vaihtoehdot
admin-properties-options_help = Tekstin vaihtoehdot, yksi riviä kohden (tyhjä = vapaa teksti)
admin-properties-builtin = sisäänrakennettu

## admin.role

admin-role-admin = ylläpitäjä
admin-role-agent = tukihenkilö

## admin.settings

admin-settings-title = Portaalin asetukset
admin-settings-saved = Tallennettu.
admin-settings-save = Tallenna
admin-settings-general = Yleiset
admin-settings-domain = Verkkotunnus
admin-settings-inbox = Saapuneet-kansio
admin-settings-permissions = Asiakkaiden oikeudet
admin-settings-visibility = Tikettien näkyvyys
admin-settings-columns = Tikettilistan sarakkeet
admin-settings-display = Vastuuhenkilön ja tilan näyttö
admin-settings-actions = Tikettien toiminnot
admin-settings-access = Pääsynhallinta
admin-settings-consent = Suostumusilmoitus
admin-settings-form = Tukilomake ja ulkoasu
admin-settings-enabled = Portaali on päällä
admin-settings-name = Portaalin nimi (selaimen välilehti)
admin-settings-slug = Polku (slug)
admin-settings-ticket_singular = Tiketin nimitys
admin-settings-ticket_plural = … ja monikossa
admin-settings-idle = Kirjaa ulos toimettomuuden jälkeen
admin-settings-absolute = Pisin istunto (tuntia)
admin-settings-kb = Näytä tietopankin linkki
admin-settings-notify_text = Vastausviestit sisältävät vastauksen tekstin
admin-settings-any_domain = Mikä tahansa tämän palvelun verkkotunnus
admin-settings-new_host = Lisää verkkotunnus
admin-settings-language = Ensisijainen kieli
admin-settings-default_inbox = Oletuskansio
admin-settings-company_own = Yhteyshenkilöt näkevät vain omat tikettinsä
admin-settings-company_all = Yhteyshenkilöt näkevät myös yrityksensä tiketit
admin-settings-company_filtered = Vain näihin ryhmiin sopivat yhteyshenkilöt näkevät yrityksensä tiketit
admin-settings-filter_groups = Suodatinryhmät (yksi riviä kohden)
admin-settings-filter_help = Yksi ryhmä riviä kohden; rivin AND-ehtojen on kaikkien täytyttävä; yksi rivi riittää. Esimerkki: tier = gold AND seats > 10. Operaattorit: =, !=, in, not in, contains, starts with, is known, is unknown, >, <. Ominaisuudet:
admin-settings-ticket_filter = Vain näihin ryhmiin sopivat tiketit näkyvät portaalissa (tyhjä: kaikki tiketit)
admin-settings-column_label = otsikko
admin-settings-up = Siirrä ylös
admin-settings-down = Siirrä alas
admin-settings-remove = Poista
admin-settings-add_column = Lisää sarake
admin-settings-add = Lisää
admin-settings-reset_columns = Palauta suositellut sarakkeet
admin-settings-owner_display = Näytä vastuuhenkilö muodossa
admin-settings-owner_first = Etunimi
admin-settings-owner_full = Koko nimi
admin-settings-owner_last = Sukunimi
admin-settings-owner_alias = Alias
admin-settings-status_display = Näytä tila muodossa
admin-settings-status_open_closed = Avoin tai Suljettu
admin-settings-status_stages = Putken vaihe
admin-settings-reply_when_closed = Asiakkaat voivat vastata suljettuihin tiketteihin
admin-settings-allow_close = Asiakkaat voivat sulkea tikettejä
admin-settings-customers_add_ccs = Pyytäjät voivat lisätä tiketteihinsä henkilöitä sähköpostiosoitteella (he näkevät tiketit ja voivat vastata)
admin-settings-ccs_same_company = Asiakkaiden lisäämien henkilöiden on kuuluttava pyytäjän yritykseen
admin-settings-company_reply = Kuka saa vastata yrityksen tiketteihin
admin-settings-company_close = Kuka saa sulkea yrityksen tikettejä
admin-settings-right_same = Kaikki, jotka näkevät ne
admin-settings-right_none = Ei kukaan (yrityksen tiketit vain luettavissa; omat tiketit kuten aina)
admin-settings-right_filtered = Ne, jotka näkevät ne ja täyttävät tämän suodattimen (yksi ryhmä riviä kohden, kuten yllä)
admin-settings-private_by_default = Asiakkaiden uudet tiketit ovat yksityisiä (vain pyytäjä ja lisätyt henkilöt näkevät ne)
admin-settings-customers_choose_privacy = Asiakkaat valitsevat, onko tiketti yksityinen vai jaettu yrityksen kanssa, luodessaan ja myöhemmin
admin-settings-access_log_days = Säilytä yritysten käyttölokit (päivää)
admin-settings-access_log_days_help = Yrityksen portaalin ylläpitäjät näkevät, kuka yrityksessä on katsonut, vienyt, vastannut, sulkenut ja siirtänyt sen tikettejä; vanhemmat merkinnät poistetaan.
admin-settings-close_stage = Suljettu vaihe putkelle
admin-settings-access_groups = Pääsyryhmät (jäsenet saavat rekisteröitymisviestin)
admin-settings-self_registration = Kuka tahansa voi rekisteröityä
admin-settings-password_login = Tarjoa kirjautuminen sähköpostilla ja salasanalla
admin-settings-sso = Kertakirjautuminen
admin-settings-sso_off = Pois
admin-settings-sso_all = Jokainen tunnistuspalvelun käyttäjä
admin-settings-sso_lists = Vain näiden listojen yhteyshenkilöt
admin-settings-sso_create = Luo yhteyshenkilö tuntemattomalle käyttäjälle
admin-settings-sso_company = Organisaatio määrää pääyrityksen
admin-settings-consent_text = Ilmoitus
admin-settings-consent_label = Valintaruudun teksti
admin-settings-links = Linkit, yksi riviä kohden: teksti | URL
admin-settings-form_enabled = Tukilomake on käytössä
admin-settings-form_menu = Valikon teksti
admin-settings-form_header = Otsikkoteksti
admin-settings-form_fields = Lisäkentät, yksi riviä kohden: ominaisuus | otsikko | required
admin-settings-branding = Ulkoasu
admin-settings-primary_color = Pääväri
admin-settings-background_color = Tausta
admin-settings-text_color = Teksti
admin-settings-nav = Navigaatiolinkit, yksi riviä kohden: teksti | URL
admin-settings-login_link = Asiakkaat voivat pyytää kirjautumislinkin sähköpostiin
admin-settings-logo = Logo
admin-settings-favicon = Favicon
admin-settings-upload = Lähetä
admin-settings-remove_image = poista
admin-settings-image_hint = PNG, JPEG, GIF, WebP tai ICO, enintään 1 MiB.
admin-settings-kb_url = Tietopankin osoite
admin-settings-translations = Tekstit muilla kielillä
admin-settings-translations_help = Yksi riviä kohden: kieli | kenttä | teksti, esim. fi | support_form.menu_text | Uusi tiketti. Kentät:
admin-settings-mail_creates_contacts = Tuntemattomien lähettäjien viestit
admin-settings-mail_creates_hint = Tässä valituissa kansioissa viesti osoitteesta, jota yhdelläkään yhteyshenkilöllä ei ole, luo yhteyshenkilön (yritykseen, jonka verkkotunnus on osoitteen verkkotunnus) ja tiketin. Muualla viesti odottaa kohdassa ”Pidätetyt saapuneet viestit”.
admin-settings-time_zone = Aikavyöhyke
admin-settings-time_zone_help = Ajat näytetään sillä tiimille ja asiakkaille, jotka eivät ole valinneet omaansa (asiakkaat valitsevat omansa tilisivullaan; ensimmäinen kirjautuminen ottaa selaimen vyöhykkeen).

## admin.setup

admin-setup-title = Ota portaali käyttöön
admin-setup-step = Vaihe { $n }
admin-setup-name = Nimeä portaali
admin-setup-address = Mistä asiakkaat sen löytävät
admin-setup-tickets = Uudet tiketit ja mitä asiakkaat näkevät
admin-setup-switch_on = Kytke portaali päälle
admin-setup-next = Tallenna ja jatka
admin-setup-finish = Valmis

## admin.templates

admin-templates-title = Mallit
admin-templates-pages = Sivut
admin-templates-mails = Sähköpostit (kielittäin)
admin-templates-customized = muokattu
admin-templates-custom = Tämä on oma mallisi.
admin-templates-builtin = Tämä on sisäänrakennettu malli; tallentaminen tekee siitä omasi.
admin-templates-mail_help = Ensimmäinen rivi: Subject: …, sitten tyhjä rivi ja teksti. Muuttujat: {"{{"}name{"}}"}, {"{{"}link{"}}"}, {"{{"}portal{"}}"}; vastauksissa myös {"{{"}author{"}}"}, {"{{"}subject{"}}"}, {"{{"}reply{"}}"}.
admin-templates-page_help = Handlebars, layout ja t-apuri käännetyille teksteille. Renderöinnissä epäonnistuva malli korvautuu sisäänrakennetulla (ja kirjataan lokiin).
admin-templates-source = Malli
admin-templates-preview = Esikatselu
admin-templates-reset = Palaa sisäänrakennettuun malliin
admin-templates-no_preview = Sivun esikatselu vaatii asiakkaan; katso yhteyshenkilön portaali kohdasta Selitä pääsy.
admin-templates-preview_contact = Esikatsele tämän sähköpostiosoitteen yhteyshenkilönä
admin-templates-preview_contact_missing = Millään yhteyshenkilöllä ei ole tätä sähköpostiosoitetta.
admin-templates-preview_no_ticket = Tällä yhteyshenkilöllä ei ole näytettävää tikettiä.

## admin.ticket

admin-ticket-pipeline = Putki
admin-ticket-contacts = Yhteyshenkilöt
admin-ticket-companies = Yritykset
admin-ticket-created = Luotu
admin-ticket-move = Siirrä
admin-ticket-assign = Anna vastuu
admin-ticket-people = Tiketissä mukana
admin-ticket-remove_participant = Poista
admin-ticket-add_participant = Lisää osallistuja (yhteyshenkilön sähköposti)
admin-ticket-add = Lisää
admin-ticket-new_requester = Uusi pyytäjä (yhteyshenkilön sähköposti)
admin-ticket-keep_requester = Aiempi pyytäjä jää osallistujaksi
admin-ticket-change_requester = Vaihda pyytäjä
admin-ticket-thread = Keskustelu
admin-ticket-internal = sisäinen muistiinpano
admin-ticket-answer = Vastaa
admin-ticket-text = Viesti (Markdown)
admin-ticket-as_note = Sisäinen muistiinpano (asiakkaat eivät näe sitä)
admin-ticket-send = Lähetä
admin-ticket-edit = Aihe ja ominaisuudet
admin-ticket-activity = Toiminta portaalissa
admin-ticket-customer_thread = Keskustelu, jonka asiakas näkee
admin-ticket-other_thread = Toinen keskustelu (asiakas ei näe sitä)
admin-ticket-new_conversation = Aloita uusi keskustelu (asiakas ei näe sitä eikä saa siitä ilmoitusta)
admin-ticket-original_mail = alkuperäinen viesti

## admin.tokens

admin-tokens-title = API-tunnukset
admin-tokens-help = Tunnuksella ohjelma käyttää JSON-rajapintaa osoitteessa /api/v1 sinun nimissäsi ja roolillasi. Lähetä se muodossa "Authorization: Bearer" ja tunnus.
admin-tokens-once = Kopioi tunnus nyt: se näytetään vain kerran.
admin-tokens-name = Uuden tunnuksen nimi
admin-tokens-revoke = Peru
admin-tokens-empty = Ei tunnuksia.

## admin.yes

admin-yes = kyllä
