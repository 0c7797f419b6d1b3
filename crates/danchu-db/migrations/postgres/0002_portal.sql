-- Portal: categories, articles, link lists, banners, visitor statistics (PostgreSQL).
CREATE TABLE categories (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE articles (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    category_id BIGINT NOT NULL REFERENCES categories(id),
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    status TEXT NOT NULL,
    featured BOOLEAN NOT NULL DEFAULT FALSE,
    published_at BIGINT,
    views BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX articles_published ON articles(status, published_at);
CREATE INDEX articles_category ON articles(category_id, status, published_at);

CREATE TABLE link_groups (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    name TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE links (
    id BIGSERIAL PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES link_groups(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE banners (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    title TEXT NOT NULL,
    link_url TEXT NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Page views per day (Vietnam calendar day), added to by every node's flusher.
CREATE TABLE visit_days (
    day TEXT PRIMARY KEY,
    visits BIGINT NOT NULL
);
-- Visits counted before danchu (carried over from the old portal).
CREATE TABLE visit_base (
    id BIGSERIAL PRIMARY KEY,
    total BIGINT NOT NULL
);
INSERT INTO visit_base (id, total) VALUES (1, 0);
