--
-- jsonb_pathx_ops: every indexable operator and jsonpath construct.
--
-- For each query, pathx_check() counts rows with the index forced and with a
-- seq scan, and reports whether the planner, left alone, picks a Bitmap
-- Index Scan on the jsonb_pathx_ops index.  idx = seq on every line is the test; the plan
-- column proves the index is used for each indexable construct.
--

CREATE TABLE orders (id int, doc jsonb);
INSERT INTO orders
SELECT i, jsonb_build_object(
	'id', i,
	'status', (ARRAY['paid','paid','paid','shipped','pending','refunded'])[1 + i % 6],
	'total', (i * 37 % 5000) + (i % 100) / 100.0,
	'user', jsonb_build_object('name', 'user ' || i,
							   'email', md5(i::text) || '@example.com',
							   'country', (ARRAY['US','DE','IS','FR','BR'])[1 + i % 5]),
	'items', jsonb_build_array(
		jsonb_build_object('sku', 'SKU-' || lpad((i % 500)::text, 5, '0'), 'price', i % 300, 'qty', 1 + i % 3),
		jsonb_build_object('sku', 'SKU-' || lpad((i % 77)::text, 5, '0'), 'price', i % 50, 'qty', 1)),
	'tags', jsonb_build_array('t' || (i % 10), 't' || (i % 3)),
	'created', '2024-' || lpad((1 + i % 12)::text, 2, '0') || '-' || lpad((1 + i % 28)::text, 2, '0'))
	|| CASE WHEN i % 100 = 0 THEN '{"coupon": {"code": "SAVE10", "pct": 10}}'::jsonb ELSE '{}' END
	|| CASE WHEN i % 20 = 0 THEN '{"flags": {"gift": true, "express": false}}'::jsonb ELSE '{}' END
	|| CASE WHEN i % 250 = 0 THEN '{"note": null}'::jsonb ELSE '{}' END
FROM generate_series(1, 5000) i;
INSERT INTO orders VALUES (0, NULL), (-1, '{}'), (-2, '[]'), (-3, '"paid"'), (-4, '42'),
	(-5, '["coupon", "status"]'), (-6, '[{"status": "paid"}]');
CREATE INDEX orders_pathx ON orders USING gin (doc jsonb_pathx_ops);
ANALYZE orders;

CREATE FUNCTION pathx_check(q text, OUT query text, OUT idx bigint, OUT seq bigint, OUT plan text)
LANGUAGE plpgsql AS $$
DECLARE
	line text;
BEGIN
	query := q;
	-- the plan the planner picks on its own
	plan := 'seq scan';
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) SELECT count(*) FROM orders WHERE ' || q LOOP
		IF line LIKE '%Bitmap Index Scan on orders_pathx%' THEN
			plan := 'index';
		END IF;
	END LOOP;
	-- the count through the index, forced
	PERFORM set_config('enable_seqscan', 'off', true);
	EXECUTE 'SELECT count(*) FROM orders WHERE ' || q INTO idx;
	PERFORM set_config('enable_seqscan', 'on', true);
	PERFORM set_config('enable_bitmapscan', 'off', true);
	PERFORM set_config('enable_indexscan', 'off', true);
	EXECUTE 'SELECT count(*) FROM orders WHERE ' || q INTO seq;
	PERFORM set_config('enable_bitmapscan', 'on', true);
	PERFORM set_config('enable_indexscan', 'on', true);
END $$;

-- containment
SELECT * FROM pathx_check($q$doc @> '{"status": "refunded"}'$q$);
SELECT * FROM pathx_check($q$doc @> '{"items": [{"sku": "SKU-00042"}]}'$q$);
SELECT * FROM pathx_check($q$doc @> '{"user": {"country": "IS"}, "status": "paid"}'$q$);
SELECT * FROM pathx_check($q$doc @> '{"total": 1000}'$q$);
SELECT * FROM pathx_check($q$doc @> '{"total": 1.0e3}'$q$);
SELECT * FROM pathx_check($q$doc @> '{"flags": {"gift": true}}'$q$);
SELECT * FROM pathx_check($q$doc @> '{"note": null}'$q$);
SELECT * FROM pathx_check($q$doc @> '{"tags": ["t1", "t2"]}'$q$);
SELECT * FROM pathx_check($q$doc @> '"paid"'$q$);
SELECT * FROM pathx_check($q$doc @> '42'$q$);
SELECT * FROM pathx_check($q$doc @> '[{"status": "paid"}]'$q$);
SELECT * FROM pathx_check($q$doc @> '{}'$q$);
SELECT * FROM pathx_check($q$doc @> '[]'$q$);
SELECT * FROM pathx_check($q$doc @> '{"coupon": {}}'$q$);
-- key existence
SELECT * FROM pathx_check($q$doc ? 'coupon'$q$);
SELECT * FROM pathx_check($q$doc ? 'paid'$q$);
SELECT * FROM pathx_check($q$doc ? 'gift'$q$);
SELECT * FROM pathx_check($q$doc ?| array['coupon', 'note']$q$);
SELECT * FROM pathx_check($q$doc ?| array[]::text[]$q$);
SELECT * FROM pathx_check($q$doc ?& array['coupon', 'flags']$q$);
SELECT * FROM pathx_check($q$doc ?& array['coupon', 'status']$q$);
SELECT * FROM pathx_check($q$doc ?& array[]::text[]$q$);
-- jsonpath equality, lax and strict
SELECT * FROM pathx_check($q$doc @? '$.status ? (@ == "refunded")'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.status == "refunded"'$q$);
SELECT * FROM pathx_check($q$doc @@ 'strict $.status == "refunded"'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.total == 1000'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.flags.gift == true'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.flags.express == false'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.note == null'$q$);
SELECT * FROM pathx_check($q$doc @@ '$."user"."country" == "IS"'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.items[*].sku == "SKU-00042"'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.items[1].sku == "SKU-00042"'$q$);
SELECT * FROM pathx_check($q$doc @@ 'strict $.items[*].sku == "SKU-00042"'$q$);
SELECT * FROM pathx_check($q$doc @@ '"IS" == $.user.country'$q$);
-- ranges
SELECT * FROM pathx_check($q$doc @? '$.total ? (@ > 4990)'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.total >= 4990.5'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.total < 3'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.total <= 2.5'$q$);
SELECT * FROM pathx_check($q$doc @@ '10 > $.total'$q$);
SELECT * FROM pathx_check($q$doc @? '$.total ? (@ > 100 && @ < 110)'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.items[*].price >= 299'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.user.email >= "ff"'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.user.email < "01"'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.created > "2024-12-27"'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.total > "x"'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.user.email > 5'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.flags.gift > false'$q$);
-- prefixes
SELECT * FROM pathx_check($q$doc @? '$.user.email ? (@ starts with "ab")'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.user.name starts with "user 499"'$q$);
SELECT * FROM pathx_check($q$doc @? '$.user.email ? (@ like_regex "^abc")'$q$);
SELECT * FROM pathx_check($q$doc @? '$.user.email ? (@ like_regex "^ab.*@example")'$q$);
SELECT * FROM pathx_check($q$doc @? '$.user.email ? (@ like_regex "^ab" flag "s")'$q$);
-- path existence
SELECT * FROM pathx_check($q$doc @? '$.coupon'$q$);
SELECT * FROM pathx_check($q$doc @? '$.coupon.code'$q$);
SELECT * FROM pathx_check($q$doc @? 'strict $.coupon.pct'$q$);
SELECT * FROM pathx_check($q$doc @? '$.flags'$q$);
SELECT * FROM pathx_check($q$doc @@ 'exists($.note)'$q$);
SELECT * FROM pathx_check($q$doc @? '$.items[*].sku'$q$);
-- filters with @ and $, nested filters
SELECT * FROM pathx_check($q$doc @? '$.items[*] ? (@.sku == "SKU-00001" && @.price > 100)'$q$);
SELECT * FROM pathx_check($q$doc @? '$ ? (@.status == "refunded" && $.total > 4900)'$q$);
SELECT * FROM pathx_check($q$doc @? '$.user ? ($.coupon.pct == 10)'$q$);
SELECT * FROM pathx_check($q$doc @? '$ ? (exists(@.items ? (@.price > 298)))'$q$);
SELECT * FROM pathx_check($q$doc @? '$.items ? (@.qty == 3) ? (@.price < 5).sku'$q$);
-- AND, OR
SELECT * FROM pathx_check($q$doc @@ '$.status == "paid" && $.total > 4990'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.status == "refunded" || $.total < 3'$q$);
SELECT * FROM pathx_check($q$doc @@ '($.coupon.pct == 10 || $.flags.gift == true) && $.user.country == "BR"'$q$);
-- not indexable, still exact: a seq scan is chosen when left to the planner
SELECT * FROM pathx_check($q$doc @@ '!($.status == "paid")'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.status != "paid"'$q$);
SELECT * FROM pathx_check($q$doc @@ '($.status == "paid") is unknown'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.total.type() == "number"'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.items.size() == 2'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.total + 1 > 5000'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.*.country == "IS"'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.** == "SAVE10"'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.status == "paid" || $.total.floor() == 3'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.status == "refunded" && !($.total > 10)'$q$);
SELECT * FROM pathx_check($q$doc @? '$.status == "paid"'$q$);
SELECT * FROM pathx_check($q$doc @@ '$.status'$q$);
SELECT * FROM pathx_check($q$doc @? '$'$q$);

-- the planner keeps a seq scan for unindexable and non-selective queries
EXPLAIN (COSTS OFF) SELECT count(*) FROM orders WHERE doc @@ '!($.status == "paid")';
EXPLAIN (COSTS OFF) SELECT count(*) FROM orders WHERE doc @@ '$.** == "SAVE10"';
EXPLAIN (COSTS OFF) SELECT count(*) FROM orders WHERE doc @? '$.total ? (@ > 4990)';

-- index maintenance: updates, deletes, vacuum, fastupdate off
UPDATE orders SET doc = doc || '{"status": "lost"}' WHERE id % 97 = 0;
DELETE FROM orders WHERE id % 89 = 0;
VACUUM orders;
SELECT * FROM pathx_check($q$doc @@ '$.status == "lost"'$q$);
SELECT * FROM pathx_check($q$doc @? '$.total ? (@ > 4990)'$q$);
ALTER INDEX orders_pathx SET (fastupdate = off);
INSERT INTO orders SELECT 10000 + i, jsonb_build_object('status', 'new', 'total', 5000 + i) FROM generate_series(1, 50) i;
SELECT * FROM pathx_check($q$doc @@ '$.status == "new" && $.total > 5040'$q$);

DROP TABLE orders;
DROP FUNCTION pathx_check(text);
