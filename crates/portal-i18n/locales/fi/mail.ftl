### portal: Mails (fi).
### Keys: dots in the code become dashes here (list.count is list-count).

## reply_notification

reply_notification-subject = Uusi vastaus tikettiisi "{ $subject }"
reply_notification-body =
    Hei { $name },

    { $author } vastasi tikettiisi "{ $subject }".

    { $reply }
    Lue keskustelu ja vastaa täällä:
    { $link }

    { $portal }

## handed_to_you

handed_to_you-subject = { $from } siirsi tiketin "{ $subject }" sinulle
handed_to_you-body =
    Hei { $name },

    { $from } siirsi tiketin "{ $subject }" sinulle: olet nyt sen pyytäjä, ja saat ilmoituksen
    uusista vastauksista.
    Lue ja vastaa täällä:
    { $link }

    { $portal }

## handed_over

handed_over-subject = Siirsit tiketin "{ $subject }" henkilölle { $to }
handed_over-body =
    Hei { $name },

    siirsit tiketin "{ $subject }" henkilölle { $to }, joka on nyt sen pyytäjä.
    { $link }

    { $portal }

## handed_away

handed_away-subject = { $from } siirsi tikettisi "{ $subject }" henkilölle { $to }
handed_away-body =
    Hei { $name },

    { $from }, yrityksesi portaalin ylläpitäjä, siirsi tikettisi "{ $subject }" henkilölle
    { $to }, joka on nyt sen pyytäjä.
    { $link }

    { $portal }

## filed_for_you

filed_for_you-subject = { $from } loi tiketin "{ $subject }" puolestasi
filed_for_you-body =
    Hei { $name },

    { $from } loi tiketin "{ $subject }" puolestasi: olet sen pyytäjä, ja saat tiedon uusista
    vastauksista. Lue ja vastaa täällä:
    { $link }

    { $portal }

## registration

registration-subject = Luo tunnuksesi palveluun { $portal }
registration-body =
    Hei { $name },

    sinut on kutsuttu palveluun { $portal }, jossa voit seurata ja tehdä tukipyyntöjä.
    Valitse salasanasi täällä (linkki toimii kerran, 7 päivän ajan):
    { $link }

    { $portal }

## email_confirmation

email_confirmation-subject = Vahvista sähköpostiosoitteesi palveluun { $portal }
email_confirmation-body =
    Hei { $name },

    vahvista sähköpostiosoitteesi viimeistelläksesi rekisteröitymisen (linkki toimii kerran, 7 päivän ajan):
    { $link }

    Jos et rekisteröitynyt, voit jättää tämän viestin huomiotta.

    { $portal }

## password_reset

password_reset-subject = Vaihda salasanasi palveluun { $portal }
password_reset-body =
    Hei { $name },

    joku pyysi salasanan vaihtoa tunnuksellesi palvelussa { $portal }. Valitse uusi salasana täällä (linkki toimii kerran, 15 minuutin ajan):
    { $link }

    Jos pyyntö ei ollut sinun, voit jättää tämän viestin huomiotta; salasanasi pysyy ennallaan.

    { $portal }

## login_link

login_link-subject = Kirjautumislinkkisi palveluun { $portal }
login_link-body =
    Hei { $name },

    kirjaudu palveluun { $portal } tällä linkillä (se toimii kerran, 15 minuutin ajan):
    { $link }

    Jos et pyytänyt sitä, voit jättää tämän viestin huomiotta.

    { $portal }
