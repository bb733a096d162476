'use strict';
// blog_test.js: JSON queries written with Sequelize's own query API must be
// planned as Bitmap Index Scans on the jsonb_pathx_ops index of posts.meta,
// and return the rows a seq scan of the same SQL returns.
//
// Run by tests/clients/run.sh, which creates the database (env PGHOST,
// PGPORT, PGUSER; database PX_CLIENTS_DB, default px_clients) and loads
// tests/clients/blog_schema.sql.  For each query: the exact SQL text and
// parameters Sequelize hands to node-postgres are captured (a wrapper around
// the pg client's query(), installed by an afterConnect hook); the same
// text and parameters are then run through the same pg connection as
// EXPLAIN (FORMAT JSON) and, with enable_bitmapscan and enable_indexscan
// off, as a seq scan.  Prints "PASS sequelize: NAME" or
// "FAIL sequelize: NAME: REASON" (with the SQL) per check.

const { Sequelize, DataTypes, Op } = require('sequelize');

const INDEX = 'posts_meta_pathx';
const database = process.env.PX_CLIENTS_DB || 'px_clients';

const sequelize = new Sequelize(database, process.env.PGUSER || 'postgres', null, {
	host: process.env.PGHOST,
	port: process.env.PGPORT ? Number(process.env.PGPORT) : undefined,
	dialect: 'postgres',
	logging: false,
	pool: { max: 2, min: 0 },
});

const attributes = {
	id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
	title: { type: DataTypes.TEXT, allowNull: false },
	meta: { type: DataTypes.JSONB, allowNull: false },
};
const Post = sequelize.define('Post', attributes, { tableName: 'posts', timestamps: false });
const PostPlain = sequelize.define('PostPlain', attributes, { tableName: 'posts_plain', timestamps: false });

// Every statement node-postgres is asked to run, while capturing is on.
let capturing = false;
let captured = [];
sequelize.addHook('afterConnect', (connection) => {
	const query = connection.query.bind(connection);
	connection.query = (...args) => {
		if (capturing) {
			const text = typeof args[0] === 'string' ? args[0] : args[0].text;
			const values = Array.isArray(args[1]) ? args[1] : (args[0].values || []);
			captured.push({ text, values });
		}
		return query(...args);
	};
});

// [name, model, find options, want, expected row count]; want is
//   'index'  a Bitmap Index Scan on posts_meta_pathx
//   'seq'    a seq scan, no index at all
//   'gap'    a form Sequelize writes that jsonb_pathx does not index yet: the
//            rows must still be right; the plan is reported on a "GAP" line
//            and not counted (PX_CLIENTS_STRICT=1 counts it as a failure).
//            Once it plans as an index scan, a NOTE asks to make it 'index'.
const S = Sequelize;
const checks = [
	['meta.status = spam (#>> =)', Post, { where: { meta: { status: 'spam' } } }, 'index', 29],
	['meta.slug = one post', Post, { where: { meta: { slug: 'post-12345' } } }, 'index', 1],
	['meta.author.email LIKE zed%', Post,
		{ where: { 'meta.author.email': { [Op.like]: 'zed%' } } }, 'index', 20],
	['meta.lang IN (is, la)', Post, { where: { meta: { lang: { [Op.in]: ['is', 'la'] } } } }, 'index', 15],
	['meta.views > 99900 (double precision cast)', Post,
		{ where: { 'meta.views': { [Op.gt]: 99900 } } }, 'index', 29],
	['meta.rating >= 4.99 (decimals)', Post, { where: { meta: { rating: { [Op.gte]: 4.99 } } } }, 'index', 60],
	['meta.views BETWEEN 50000 AND 50030', Post,
		{ where: { 'meta.views': { [Op.between]: [50000, 50030] } } }, 'index', 9],
	['meta.views IN (7919, 15838)', Post,
		{ where: { 'meta.views': { [Op.in]: [7919, 15838] } } }, 'index', 2],
	['CAST(meta.views AS INTEGER) > 99900 (Sequelize.cast)', Post,
		{ where: S.where(S.cast(S.json('meta.views'), 'integer'), Op.gt, 99900) }, 'index', 29],
	['meta.coupon.code IS NOT NULL (Op.ne null)', Post,
		{ where: { meta: { coupon: { code: { [Op.ne]: null } } } } }, 'index', 75],
	// CAST((meta#>>'{flags,featured}') AS BOOLEAN) = true: a text-to-boolean
	// cast: CAST(meta #>> '{flags,featured}' AS BOOLEAN), folded from = true
	['meta.flags.featured = true (boolean cast of #>> text)', Post,
		{ where: { meta: { flags: { featured: true } } } }, 'index', 60],
	['meta @> {tags: [rare-tag]} (Op.contains)', Post,
		{ where: { meta: { [Op.contains]: { tags: ['rare-tag'] } } } }, 'index', 14],
	['status = spam OR lang = is (Op.or)', Post,
		{ where: { [Op.or]: [{ meta: { status: 'spam' } }, { 'meta.lang': 'is' }] } }, 'index', 44],
	['status = published AND email LIKE zed% (one selective part)', Post,
		{ where: { meta: { status: 'published', author: { email: { [Op.like]: 'zed%' } } } } }, 'index', 20],
	['jsonb_exists(meta, coupon) (Sequelize.fn)', Post,
		{ where: S.fn('jsonb_exists', S.col('meta'), 'coupon') }, 'index', 75],
	['meta.status = $1 (bind parameter)', Post,
		{ where: S.where(S.json('meta.status'), Op.eq, S.literal('$status')), bind: { status: 'spam' } }, 'index', 29],
	['jsonb_path_exists(meta, $1, $2) (bound path and vars)', Post,
		{
			where: S.fn('jsonb_path_exists', S.col('meta'), S.literal('$path'), S.literal('$vars')),
			bind: { path: '$.views ? (@ > $min)', vars: JSON.stringify({ min: 99900 }) },
		}, 'index', 29],
	['not selective: meta.views > 100 stays a seq scan', Post,
		{ where: { 'meta.views': { [Op.gt]: 100 } } }, 'seq', 29970],
	['not selective: meta.status = published stays a seq scan', Post,
		{ where: { meta: { status: 'published' } } }, 'seq', 25475],
	['no index: posts_plain meta.status = spam stays a seq scan', PostPlain,
		{ where: { meta: { status: 'spam' } } }, 'seq', 29],
];

// All plan nodes, depth first.
function planNodes(node, out = []) {
	out.push(node);
	for (const child of node.Plans || []) {
		planNodes(child, out);
	}
	return out;
}

function describePlan(nodes) {
	return nodes.map((n) => n['Node Type'] + (n['Index Name'] ? ' on ' + n['Index Name'] :
		n['Relation Name'] ? ' on ' + n['Relation Name'] : '')).join(' > ');
}

function rowKeys(rows) {
	return rows.map((r) => `${r.id}:${r.title}:${JSON.stringify(r.meta)}`).sort();
}

async function runCheck(client, [name, model, options, want, expected]) {
	captured = [];
	capturing = true;
	let found;
	try {
		found = await model.findAll(options);
	} finally {
		capturing = false;
	}
	const statements = captured.filter((q) => /FROM "posts(_plain)?"/.test(q.text));
	if (statements.length !== 1) {
		return { reason: `expected one SELECT on posts, captured ${statements.length}`, sql: captured };
	}
	const { text, values } = statements[0];
	const sql = { text, values };

	const explain = await client.query('EXPLAIN (FORMAT JSON) ' + text, values);
	const nodes = planNodes(explain.rows[0]['QUERY PLAN'][0].Plan);
	const plan = describePlan(nodes);
	const usesIndex = nodes.some((n) => n['Node Type'] === 'Bitmap Index Scan' && n['Index Name'] === INDEX);
	const anyIndex = nodes.some((n) => n['Index Name'] !== undefined);
	const seqScan = nodes.some((n) => n['Node Type'] === 'Seq Scan');

	let seq;
	await client.query('SET enable_bitmapscan = off');
	await client.query('SET enable_indexscan = off');
	try {
		const seqPlan = await client.query('EXPLAIN (FORMAT JSON) ' + text, values);
		if (planNodes(seqPlan.rows[0]['QUERY PLAN'][0].Plan).some((n) => n['Index Name'] !== undefined)) {
			return { reason: 'the reference run still uses an index', sql, plan };
		}
		seq = await client.query(text, values);
	} finally {
		await client.query('RESET enable_bitmapscan');
		await client.query('RESET enable_indexscan');
	}

	const strict = process.env.PX_CLIENTS_STRICT === '1';
	if (want === 'index' && !usesIndex || want === 'gap' && !usesIndex && strict) {
		return { reason: `not a Bitmap Index Scan on ${INDEX}; plan: ${plan}`, sql, plan };
	}
	if (want === 'seq' && (anyIndex || !seqScan)) {
		return { reason: `expected a seq scan; plan: ${plan}`, sql, plan };
	}
	const ormRows = rowKeys(found.map((m) => m.get({ plain: true })));
	const seqRows = rowKeys(seq.rows);
	if (ormRows.length !== seqRows.length || ormRows.some((k, i) => k !== seqRows[i])) {
		return { reason: `the ORM returned ${ormRows.length} rows, the seq scan ${seqRows.length} (or other rows)`, sql, plan };
	}
	if (ormRows.length !== expected) {
		return { reason: `${ormRows.length} rows, expected ${expected}`, sql, plan };
	}
	if (want === 'gap') {
		return { sql, plan, rows: ormRows.length, gap: !usesIndex };
	}
	return { sql, plan, rows: ormRows.length };
}

async function main() {
	let passed = 0;
	let failed = 0;
	await sequelize.authenticate();
	const client = await sequelize.connectionManager.getConnection();
	try {
		const only = process.env.PX_CLIENTS_ONLY;
		for (const check of checks) {
			const name = check[0];
			if (only && !name.includes(only)) {
				continue;
			}
			let result;
			try {
				result = await runCheck(client, check);
			} catch (err) {
				result = { reason: `error: ${err.message}`, sql: err.sql ? { text: err.sql, values: err.parameters } : undefined };
			}
			if (result.reason === undefined) {
				passed++;
				console.log(`PASS sequelize: ${name}` + (check[3] === 'gap' ? ' (right rows)' : ''));
				if (result.gap === true) {
					console.log(`GAP sequelize: ${name}: not indexed yet; plan: ${result.plan}`);
				} else if (result.gap === false) {
					console.log(`NOTE sequelize: ${name}: now a Bitmap Index Scan on ${INDEX}: make it an 'index' check`);
				}
				console.log(`    ${result.sql.text}` + (result.sql.values.length ? `  -- ${JSON.stringify(result.sql.values)}` : ''));
				console.log(`    ${result.rows} rows; ${result.plan}`);
			} else {
				failed++;
				console.log(`FAIL sequelize: ${name}: ${result.reason}`);
				if (result.sql !== undefined) {
					console.log(`    SQL: ${JSON.stringify(result.sql)}`);
				}
			}
		}
	} finally {
		sequelize.connectionManager.releaseConnection(client);
		await sequelize.close();
	}
	console.log(`sequelize: ${passed} passed, ${failed} failed`);
	return failed === 0 && passed > 0;
}

main().then((ok) => process.exit(ok ? 0 : 1), (err) => {
	console.log(`FAIL sequelize: setup: ${err.message}`);
	console.log('sequelize: 0 passed, 1 failed');
	process.exit(1);
});
