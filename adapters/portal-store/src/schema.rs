//! The tables, for diesel's query builder. One schema for both backends; the per-backend
//! migrations in `migrations/` create them (PostgreSQL adds a generated `tsvector` column,
//! SQLite an FTS5 table, neither listed here).

diesel::table! {
    companies (id) {
        id -> BigInt,
        name -> Text,
        domain -> Nullable<Text>,
    }
}

diesel::table! {
    contacts (id) {
        id -> BigInt,
        email -> Text,
        email_lower -> Text,
        membership_email -> Nullable<Text>,
        first_name -> Text,
        last_name -> Text,
        primary_company_id -> Nullable<BigInt>,
        language -> Nullable<Text>,
        properties -> Text,
        memberships -> Text,
    }
}

diesel::table! {
    lists (id) {
        id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    list_members (list_id, contact_id) {
        list_id -> BigInt,
        contact_id -> BigInt,
    }
}

diesel::table! {
    pipelines (id) {
        id -> BigInt,
        label -> Text,
    }
}

diesel::table! {
    stages (id) {
        id -> BigInt,
        pipeline_id -> BigInt,
        position -> BigInt,
        label -> Text,
        closed -> Bool,
    }
}

diesel::table! {
    inboxes (id) {
        id -> BigInt,
        name -> Text,
        pipeline_id -> BigInt,
    }
}

diesel::table! {
    agents (id) {
        id -> BigInt,
        first_name -> Text,
        last_name -> Text,
        alias -> Nullable<Text>,
        email -> Text,
        email_lower -> Text,
    }
}

diesel::table! {
    domains (id) {
        id -> BigInt,
        host -> Text,
        host_lower -> Text,
        language -> Text,
    }
}

diesel::table! {
    property_defs (object, name) {
        object -> Text,
        name -> Text,
        definition -> Text,
        kind -> Text,
        position -> BigInt,
    }
}

diesel::table! {
    tickets (id) {
        id -> BigInt,
        subject -> Text,
        pipeline_id -> BigInt,
        stage_id -> BigInt,
        status -> Text,
        owner_id -> Nullable<BigInt>,
        inbox_id -> Nullable<BigInt>,
        requester_id -> Nullable<BigInt>,
        contact_ids -> Text,
        company_ids -> Text,
        properties -> Text,
        created_at -> BigInt,
        last_activity_at -> BigInt,
        search_doc -> Text,
        private -> Bool,
    }
}

diesel::table! {
    ticket_contacts (contact_id, ticket_id) {
        contact_id -> BigInt,
        ticket_id -> BigInt,
        last_activity_at -> BigInt,
        status -> Text,
        created_at -> BigInt,
        requester_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    ticket_companies (company_id, ticket_id) {
        company_id -> BigInt,
        ticket_id -> BigInt,
        last_activity_at -> BigInt,
        status -> Text,
        created_at -> BigInt,
        requester_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    ticket_props (ticket_id, name) {
        ticket_id -> BigInt,
        name -> Text,
        kind -> Text,
        text_value -> Nullable<Text>,
        num_value -> Nullable<BigInt>,
    }
}

diesel::table! {
    threads (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        inbox_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    messages (id) {
        id -> BigInt,
        thread_id -> BigInt,
        author_kind -> Text,
        author_id -> Nullable<BigInt>,
        public -> Bool,
        body -> Text,
        created_at -> BigInt,
        channel -> Text,
    }
}

diesel::table! {
    attachments (id) {
        id -> BigInt,
        message_id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        size -> BigInt,
        blob_key -> Text,
    }
}

diesel::table! {
    blobs (id) {
        id -> BigInt,
        bytes -> Binary,
    }
}

diesel::table! {
    settings (id) {
        id -> BigInt,
        version -> BigInt,
        body -> Text,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        contact_id -> BigInt,
        email -> Text,
        password_hash -> Nullable<Text>,
        enabled -> Bool,
        email_confirmed -> Bool,
        language -> Nullable<Text>,
        consent_text -> Nullable<Text>,
        consent_at -> Nullable<BigInt>,
        created_at -> BigInt,
        time_zone -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        principal_kind -> Text,
        principal_id -> BigInt,
        created_at -> BigInt,
        last_seen -> BigInt,
        csrf_secret -> Text,
    }
}

diesel::table! {
    one_time_tokens (token_hash) {
        token_hash -> Text,
        purpose -> Text,
        contact_id -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    mail_threads (token_hash) {
        token_hash -> Text,
        ticket_id -> BigInt,
        contact_id -> BigInt,
        created_at -> BigInt,
        outbox_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    inbound_mails (id) {
        id -> BigInt,
        inbox_id -> BigInt,
        source -> Text,
        digest -> Text,
        blob_key -> Text,
        size -> BigInt,
        received_at -> BigInt,
        state -> Text,
        reason -> Nullable<Text>,
        sender -> Nullable<Text>,
        subject -> Nullable<Text>,
        ticket_id -> Nullable<BigInt>,
        message_id -> Nullable<BigInt>,
        lease_until -> BigInt,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        mail -> Text,
        attempts -> BigInt,
        due_at -> BigInt,
        lease_until -> BigInt,
        state -> Text,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    timeline (id) {
        id -> BigInt,
        contact_id -> BigInt,
        ticket_id -> BigInt,
        event -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor -> Text,
        action -> Text,
        detail -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        key -> Text,
        at -> BigInt,
    }
}

diesel::table! {
    replay_ids (namespace, id) {
        namespace -> Text,
        id -> Text,
        keep_until -> BigInt,
    }
}

diesel::table! {
    sso_requests (id) {
        id -> Text,
        return_to -> Nullable<Text>,
        expires_at -> BigInt,
    }
}

diesel::table! {
    sso_links (kind, external_id) {
        kind -> Text,
        external_id -> Text,
        contact_id -> BigInt,
    }
}

diesel::table! {
    staff_logins (agent_id) {
        agent_id -> BigInt,
        role -> Text,
        password_hash -> Text,
        enabled -> Bool,
    }
}

diesel::table! {
    mailboxes (id) {
        id -> BigInt,
        inbox_id -> BigInt,
        host -> Text,
        port -> Integer,
        tls -> Bool,
        user_name -> Text,
        sealed_password -> Text,
        folder -> Text,
        delete_taken -> Bool,
        poll_seconds -> Integer,
        enabled -> Bool,
        checked_at -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    tickets,
    ticket_contacts,
    ticket_companies,
    ticket_props,
    threads,
    messages,
    mailboxes,
    attachments,
    stages,
    pipelines,
);

diesel::allow_tables_to_appear_in_same_query!(agents, staff_logins);

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        agent_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    health (id) {
        id -> BigInt,
        at -> BigInt,
    }
}

diesel::table! {
    import_keys (kind, external_id) {
        kind -> Text,
        external_id -> Text,
        record_id -> BigInt,
    }
}

diesel::table! {
    server_keys (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    access_log (id) {
        id -> BigInt,
        company_id -> BigInt,
        contact_id -> BigInt,
        ticket_id -> Nullable<BigInt>,
        action -> Text,
        count -> BigInt,
        at -> BigInt,
    }
}

diesel::table! {
    company_admins (contact_id, company_id) {
        company_id -> BigInt,
        contact_id -> BigInt,
    }
}
