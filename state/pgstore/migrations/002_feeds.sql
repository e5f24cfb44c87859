-- Live news: the feeds each server follows, and what polling each feed
-- URL left behind.
CREATE TABLE feeds (
    guild_id   text NOT NULL,
    url        text NOT NULL,
    channel_id text NOT NULL DEFAULT '',
    filter     text NOT NULL DEFAULT '',
    added_by   text NOT NULL DEFAULT '',
    added_at   timestamptz,
    PRIMARY KEY (guild_id, url)
);

CREATE TABLE feed_polls (
    url           text PRIMARY KEY,
    etag          text NOT NULL DEFAULT '',
    last_modified text NOT NULL DEFAULT '',
    last_success  timestamptz,
    last_error    text NOT NULL DEFAULT '',
    last_error_at timestamptz,
    failures      integer NOT NULL DEFAULT 0,
    next_poll     timestamptz
);
