-- The digest: subscriptions, deliveries (each digest posted once) and the
-- threads digests open. Times are timestamptz (NULL for none), except a
-- digest's article bounds, kept to the nanosecond as Unix nanoseconds.
CREATE TABLE subscriptions (
    channel_id   text PRIMARY KEY,
    guild_id     text NOT NULL DEFAULT '',
    resolved     boolean NOT NULL DEFAULT false,
    news         boolean NOT NULL DEFAULT false,
    daily_time   text NOT NULL DEFAULT '',
    zone         text NOT NULL DEFAULT '',
    config       boolean NOT NULL DEFAULT false,
    switched_off boolean NOT NULL DEFAULT false,
    created      timestamptz,
    fired        timestamptz,
    last_day     text NOT NULL DEFAULT '',
    since_ns     bigint,
    last_post    timestamptz,
    last_message text NOT NULL DEFAULT '',
    broken       text NOT NULL DEFAULT '',
    broken_at    timestamptz
);

CREATE TABLE deliveries (
    channel_id   text NOT NULL,
    key          text NOT NULL,
    kind         text NOT NULL,
    nonce        text NOT NULL DEFAULT '',
    since_ns     bigint,
    cutoff_ns    bigint,
    first_digest boolean NOT NULL DEFAULT false,
    started      timestamptz,
    claimed_by   text NOT NULL DEFAULT '',
    claimed_at   timestamptz,
    done         timestamptz,
    outcome      text NOT NULL DEFAULT '',
    message_id   text NOT NULL DEFAULT '',
    PRIMARY KEY (channel_id, key)
);

CREATE TABLE threads (
    thread_id  text PRIMARY KEY,
    article_id text NOT NULL,
    channel_id text NOT NULL,
    created    timestamptz
);
