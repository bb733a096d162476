-- orders.sql: :rows deterministic order documents into orders_local, then
-- the same rows into the sharded orders through the coordinator
-- (tests/shards/run.sh).  Every value is a function of id, so counts and
-- plans are the same on every run.  Rare values make the checked
-- conditions selective (about 0.3 to 5 % of the rows):
--   status "disputed"       id % 101 = 0
--   total > 990             ((id * 7919) % 100000) / 100.0, spread over 0..999.99
--   user.email LIKE 'ab%'   md5 of id: 1 in 256
--   currency ISK, NOK       odd ids, 1 in 20 each
--   coupon, gift, priority  keys present when id % 53, % 89, % 7 = 0
--   items[*].sku "sku-42"   one to three items per order
\set ON_ERROR_STOP 1
INSERT INTO orders_local
SELECT i, jsonb_build_object(
		'id', i,
		'status', CASE WHEN i % 101 = 0 THEN 'disputed'
				  ELSE (ARRAY['paid', 'shipped', 'pending', 'cancelled'])[1 + i % 4] END,
		'total', ((i * 7919) % 100000) / 100.0,
		'currency', CASE WHEN i % 2 = 0 THEN 'EUR'
					ELSE (ARRAY['USD', 'GBP', 'SEK', 'ISK', 'NOK', 'DKK', 'CHF', 'JPY', 'PLN', 'CZK',
								'HUF', 'RON', 'BGN', 'TRY', 'AUD', 'CAD', 'NZD', 'SGD', 'HKD', 'MXN'])[1 + (i / 7) % 20] END,
		'user', jsonb_build_object(
			'email', substr(md5(i::text), 1, 10) || '@example.com',
			'country', (ARRAY['IS', 'NO', 'SE', 'DK', 'FI', 'DE', 'FR', 'ES', 'IT', 'PT'])[1 + (i / 3) % 10]),
		'items', (SELECT jsonb_agg(jsonb_build_object('sku', 'sku-' || ((i * 31 + k) % 997), 'qty', 1 + k))
				  FROM generate_series(0, i % 3) k),
		'tags', CASE WHEN i % 5 = 0 THEN '["new"]'::jsonb ELSE '["repeat", "vip"]'::jsonb END)
	|| CASE WHEN i % 53 = 0 THEN '{"coupon": "SAVE10"}'::jsonb ELSE '{}' END
	|| CASE WHEN i % 89 = 0 THEN '{"gift": true}'::jsonb ELSE '{}' END
	|| CASE WHEN i % 7 = 0 THEN '{"priority": 1}'::jsonb ELSE '{}' END
FROM generate_series(1, :rows) i;

-- Through the coordinator: hash routing sends each row to its shard.
INSERT INTO orders SELECT id, doc FROM orders_local;

CREATE INDEX orders_local_doc_pathx ON orders_local USING gin (doc jsonb_pathx_ops);
ANALYZE orders_local;
