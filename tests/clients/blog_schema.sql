-- blog_schema.sql: the blog both ORM client tests query (tests/clients/run.sh).
--
-- posts: 30,000 deterministic posts (no random()), meta indexed with
-- jsonb_pathx_ops.  posts_plain: the same rows without any index on meta.
-- Most values are common (status "published" on 85% of the rows, views
-- spread over 0..99,999); a few are rare so that queries on them select
-- well under 1% of the rows:
--   status "spam"            i % 1009 = 0      29 rows
--   lang "is"                i % 1999 = 0      15 rows
--   author.email "zed..."    i % 1500 = 0      20 rows
--   tags ["rare-tag"]        i % 2003 = 0      14 rows
--   coupon {code}            i % 400 = 0       75 rows (the key is absent elsewhere)
--   flags.featured true      i % 500 = 0       60 rows
--   views > 99,900, rating >= 4.99, slug "post-N": a few rows each
-- Documents stay far below 1 kB so that ANALYZE samples them for the
-- planner's estimates.

CREATE TABLE posts (
	id serial PRIMARY KEY,
	title text NOT NULL,
	meta jsonb NOT NULL
);

INSERT INTO posts (title, meta)
SELECT 'Post ' || i,
	jsonb_build_object(
		'slug', 'post-' || i,
		'status', CASE WHEN i % 1009 = 0 THEN 'spam'
			WHEN i % 100 < 85 THEN 'published'
			WHEN i % 100 < 97 THEN 'draft'
			ELSE 'archived' END,
		'views', (i * 7919) % 100000,
		'rating', round(((i * 7907) % 10000) / 2000.0, 4),
		'author', jsonb_build_object(
			'name', 'Author ' || (i % 2000),
			'email', CASE WHEN i % 1500 = 0 THEN 'zed' || i || '@example.org'
				ELSE 'user' || (i % 5000) || '@example.com' END),
		'tags', CASE WHEN i % 2003 = 0 THEN jsonb_build_array('t' || (i % 50), 'rare-tag')
			ELSE jsonb_build_array('t' || (i % 50), 't' || (i % 7)) END,
		'flags', jsonb_build_object('featured', i % 500 = 0, 'pinned', i % 3 = 0),
		'published_at', to_char(date '2020-01-01' + (i % 1500), 'YYYY-MM-DD'),
		'lang', CASE WHEN i % 1999 = 0 THEN 'is'
			WHEN i % 10 < 7 THEN 'en'
			WHEN i % 10 < 9 THEN 'de'
			ELSE 'fr' END)
	|| CASE WHEN i % 400 = 0 THEN jsonb_build_object('coupon', jsonb_build_object('code', 'C' || i))
		ELSE '{}'::jsonb END
FROM generate_series(1, 30000) i;

CREATE INDEX posts_meta_pathx ON posts USING gin (meta jsonb_pathx_ops);

CREATE TABLE posts_plain (
	id integer PRIMARY KEY,
	title text NOT NULL,
	meta jsonb NOT NULL
);
INSERT INTO posts_plain SELECT * FROM posts;

ANALYZE posts;
ANALYZE posts_plain;
