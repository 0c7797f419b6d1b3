-- Uploaded files and images, article attachments, banner images (PostgreSQL).
CREATE TABLE media (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    stored_name TEXT NOT NULL UNIQUE,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    width BIGINT,
    height BIGINT,
    thumb_name TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX media_unit ON media(unit_id, created_at);

CREATE TABLE article_attachments (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    media_id BIGINT NOT NULL REFERENCES media(id),
    position BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, media_id)
);

ALTER TABLE banners ADD COLUMN image_id BIGINT REFERENCES media(id);
