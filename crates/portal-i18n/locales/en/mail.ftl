### portal: Mails (en).
### Keys: dots in the code become dashes here (list.count is list-count).

## reply_notification

reply_notification-subject = New reply to your ticket "{ $subject }"
reply_notification-body =
    Hello { $name },

    { $author } replied to your ticket "{ $subject }".

    { $reply }
    Read the conversation and answer here:
    { $link }

    { $portal }

## handed_to_you

handed_to_you-subject = { $from } handed the ticket "{ $subject }" to you
handed_to_you-body =
    Hello { $name },

    { $from } handed the ticket "{ $subject }" over to you: you are its requester now, and you
    will be told of new replies.
    Read it and answer here:
    { $link }

    { $portal }

## handed_over

handed_over-subject = You handed the ticket "{ $subject }" to { $to }
handed_over-body =
    Hello { $name },

    you handed the ticket "{ $subject }" over to { $to }, who is its requester now.
    { $link }

    { $portal }

## handed_away

handed_away-subject = { $from } handed your ticket "{ $subject }" to { $to }
handed_away-body =
    Hello { $name },

    { $from }, your company's portal admin, handed your ticket "{ $subject }" over to { $to },
    who is its requester now.
    { $link }

    { $portal }

## filed_for_you

filed_for_you-subject = { $from } filed the ticket "{ $subject }" for you
filed_for_you-body =
    Hello { $name },

    { $from } filed the ticket "{ $subject }" for you: you are its requester, and you will be
    told of new replies. Read it and answer here:
    { $link }

    { $portal }

## registration

registration-subject = Set up your login for { $portal }
registration-body =
    Hello { $name },

    you have been invited to { $portal }, where you can follow and file your support tickets.
    Choose your password here (the link works once, for 7 days):
    { $link }

    { $portal }

## email_confirmation

email_confirmation-subject = Confirm your email address for { $portal }
email_confirmation-body =
    Hello { $name },

    please confirm your email address to finish your registration (the link works once, for 7 days):
    { $link }

    If you did not register, ignore this email.

    { $portal }

## password_reset

password_reset-subject = Reset your password for { $portal }
password_reset-body =
    Hello { $name },

    someone asked to reset the password of your { $portal } login. Choose a new password here (the link works once, for 15 minutes):
    { $link }

    If it was not you, ignore this email; your password stays as it is.

    { $portal }

## login_link

login_link-subject = Your login link for { $portal }
login_link-body =
    Hello { $name },

    log in to { $portal } with this link (it works once, for 15 minutes):
    { $link }

    If you did not ask for it, ignore this email.

    { $portal }
