/*
 * orm_forms_test.cpp
 *	  Randomized differential test of the SQL forms applications write on a
 *	  jsonb column (doc->>'a' = 'x', (doc->'n')::numeric > 5, doc#>>'{a,b}'
 *	  LIKE 'x%', jsonb_path_exists(doc, ...), ...), which the planner hook
 *	  answers through a derived, lossy jsonb_pathx_ops index condition.
 *
 * A derived condition is only right if it is implied by the clause it was
 * derived from on every document: ->> gives the text of numbers, booleans
 * and containers, JSON null gives SQL NULL, casts round, fail and accept
 * strings the jsonpath never sees as numbers, #>> elements index arrays or
 * name keys, jsonb's comparison orders types.  The generator
 * (random_orm_forms.h) builds documents and conditions that hit each of
 * these; every condition is counted with the index forced and with a seq
 * scan, inline (literals) and as a prepared statement with parameters,
 * once as a custom and once as a generic plan.  Any difference fails the
 * test and prints the query.  Where the seq scan raises an error, the
 * index may answer (it never evaluates the clause on rows its search rules
 * out, like every PostgreSQL index; see core/sql_forms.h, "Errors"); an
 * error through the index where the seq scan raised none is a difference.
 *
 * The counting happens in the server, one round trip per condition: a
 * generic plan is cached by the prepared statement and would be reused
 * after a change of enable_* settings, so each way prepares its own.
 * Parallel plans are off so that both ways meet the failing document in
 * the same (physical) order; JIT is off because disable_cost puts every
 * plan without an index path above jit_above_cost, and compiling it costs
 * ten times more than running it.
 *
 * Without the hook both ways are seq scans and the comparison is trivially
 * equal; so a second test case explains a sample of the conditions the
 * hook is meant to serve (served and not indexable by the operator class
 * alone) and requires that at least 60% of them, in each of the three
 * renderings, use a Bitmap Index Scan on the jsonb_pathx_ops index.  It
 * is separate so that a failing share does not hide the differential
 * result, and it reports the share per form, worst first.
 *
 * The seed is printed; PXTEST_SEED reruns a failure.
 */
#include <boost/test/unit_test.hpp>

#include "differential.h"
#include "random_json.h"
#include "random_orm_forms.h"
#include "test_database.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace
{

constexpr int kDocuments = 3000;
constexpr int kConditions = 3000;
constexpr int kExplained = 800;

/*
 * px_orm_count counts one condition one way: the index forced (seq scans
 * off) or a seq scan (bitmap and index scans off).  With cache_mode NULL
 * the condition is run inline; otherwise it is prepared with the given
 * parameter types and executed with the given arguments under that
 * plan_cache_mode.
 */
const char kOrmFunctions[] = R"SQL(
CREATE FUNCTION px_orm_settings(via_index boolean, cache_mode text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('max_parallel_workers_per_gather', '0', true);
	PERFORM set_config('jit', 'off', true);
	PERFORM set_config('enable_seqscan', CASE WHEN via_index THEN 'off' ELSE 'on' END, true);
	PERFORM set_config('enable_bitmapscan', CASE WHEN via_index THEN 'on' ELSE 'off' END, true);
	PERFORM set_config('enable_indexscan', CASE WHEN via_index THEN 'on' ELSE 'off' END, true);
	PERFORM set_config('enable_indexonlyscan', CASE WHEN via_index THEN 'on' ELSE 'off' END, true);
	PERFORM set_config('plan_cache_mode', cache_mode, true);
	IF EXISTS (SELECT FROM pg_prepared_statements WHERE name = 'px_orm_p') THEN
		EXECUTE 'DEALLOCATE px_orm_p';
	END IF;
END $$;

CREATE FUNCTION px_orm_count(q text, via_index boolean, types text, args text, cache_mode text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	r text;
BEGIN
	PERFORM px_orm_settings(via_index, coalesce(cache_mode, 'auto'));
	BEGIN
		IF cache_mode IS NULL THEN
			EXECUTE 'SELECT count(*)::text FROM t WHERE ' || q INTO r;
		ELSE
			EXECUTE 'PREPARE px_orm_p' || types || ' AS SELECT count(*)::text FROM t WHERE ' || q;
			EXECUTE 'EXECUTE px_orm_p' || args INTO r;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		r := 'error ' || SQLSTATE;
	END;
	RETURN r;
END $$;

CREATE FUNCTION px_orm_compare(lit text, body text, types text, args text,
	OUT literal_index text, OUT literal_seq text,
	OUT custom_index text, OUT custom_seq text,
	OUT generic_index text, OUT generic_seq text)
LANGUAGE plpgsql AS $$
BEGIN
	literal_index := px_orm_count(lit, true, NULL, NULL, NULL);
	literal_seq := px_orm_count(lit, false, NULL, NULL, NULL);
	IF types <> '' THEN
		custom_index := px_orm_count(body, true, types, args, 'force_custom_plan');
		custom_seq := px_orm_count(body, false, types, args, 'force_custom_plan');
		generic_index := px_orm_count(body, true, types, args, 'force_generic_plan');
		generic_seq := px_orm_count(body, false, types, args, 'force_generic_plan');
	END IF;
END $$;

CREATE FUNCTION px_orm_plan(q text, types text, args text, cache_mode text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	line text;
	plan text := '';
BEGIN
	PERFORM px_orm_settings(true, coalesce(cache_mode, 'auto'));
	BEGIN
		IF cache_mode IS NULL THEN
			FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) SELECT count(*) FROM t WHERE ' || q LOOP
				plan := plan || line || E'\n';
			END LOOP;
		ELSE
			EXECUTE 'PREPARE px_orm_p' || types || ' AS SELECT count(*) FROM t WHERE ' || q;
			FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) EXECUTE px_orm_p' || args LOOP
				plan := plan || line || E'\n';
			END LOOP;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		plan := 'error ' || SQLSTATE || ': ' || SQLERRM;
	END;
	RETURN plan;
END $$;
)SQL";

const char *const kModes[] = {"literal", "custom plan", "generic plan"};

/* The table t with random documents (and some SQL NULLs) and the index. */
void
CreateAndLoad(pqxx::connection &c, pathx_test::RandomOrmForms &gen)
{
	{
		pqxx::work	w(c);

		w.exec("CREATE TABLE t (id int, doc jsonb)");
		w.exec(kOrmFunctions);
		w.commit();
	}
	/* ICU orders and compares otherwise than bytes; without ICU, both are plain C */
	try
	{
		pqxx::work	w(c);

		w.exec("CREATE COLLATION px_icu (provider = icu, locale = 'und')");
		w.exec("CREATE COLLATION px_ci (provider = icu, locale = 'und-u-ks-level2', "
			   "deterministic = false)");
		w.commit();
	}
	catch (const pqxx::sql_error &e)
	{
		std::cout << "no ICU collations (" << e.what() << "), px_icu and px_ci are C" << std::endl;
		pqxx::work	w(c);

		w.exec("CREATE COLLATION px_icu FROM \"C\"");
		w.exec("CREATE COLLATION px_ci FROM \"C\"");
		w.commit();
	}
	{
		pqxx::work	w(c);
		std::string batch;

		for (int i = 0; i < kDocuments; i++)
		{
			std::string value = gen.Below(50) == 0 ? "NULL" : pathx_test::SqlQuote(gen.Document());

			batch += (batch.empty() ? "" : ", ") + ("(" + std::to_string(i) + ", " + value + ")");
			if (batch.size() > 200000 || i == kDocuments - 1)
			{
				w.exec("INSERT INTO t (id, doc) VALUES " + batch);
				batch.clear();
			}
		}
		w.exec("CREATE INDEX t_doc ON t USING gin (doc jsonb_pathx_ops)");
		w.exec("ANALYZE t");
		w.commit();
	}
}

void
Describe(std::ostream &os, const pathx_test::OrmCondition &q, int mode)
{
	if (mode == 0)
		os << "  SELECT count(*) FROM t WHERE " << q.literal << ";\n";
	else
		os << "  SET plan_cache_mode = " << (mode == 1 ? "force_custom_plan" : "force_generic_plan")
			<< ";\n  PREPARE p" << q.PrepareTypes() << " AS SELECT count(*) FROM t WHERE "
			<< q.prepared << ";\n  EXECUTE p" << q.ExecuteArguments() << ";\n";
}

struct Share
{
	int			used = 0;
	int			total = 0;
};

}							/* namespace */

BOOST_AUTO_TEST_SUITE(orm_forms)

BOOST_AUTO_TEST_CASE(same_answers_with_and_without_the_index)
{
	uint64_t	seed = pathx_test::Seed();

	std::cout << "orm_forms seed " << seed << " (PXTEST_SEED reruns it)" << std::endl;

	auto		start = std::chrono::steady_clock::now();
	pathx_test::TestDatabase db("px_orm");
	pathx_test::RandomOrmForms gen(seed);
	pqxx::connection &c = db.conn();

	CreateAndLoad(c, gen);

	int			comparisons = 0;
	int			differences = 0;
	int			count_differences = 0;	/* two counts, not an error and a count */
	int			raising_differences = 0;	/* of conditions that may raise */
	int			nonzero = 0;
	int			errors = 0;
	int			generator_errors = 0;
	int			unexpected_errors = 0;	/* by conditions the generator deems safe */
	int			prepared = 0;
	int			index_spared_error = 0;	/* seq scan raised, the index did not evaluate that row */
	std::map<std::string, int> sqlstates;
	pqxx::nontransaction n(c);

	n.exec("SET statement_timeout = '60s'");
	for (int i = 0; i < kConditions; i++)
	{
		pathx_test::OrmCondition q = gen.Condition();
		pqxx::row	r = n.exec_params1("SELECT * FROM px_orm_compare($1, $2, $3, $4)", q.literal,
									   q.prepared, q.PrepareTypes(), q.ExecuteArguments());

		if (!q.params.empty())
			prepared++;
		for (int mode = 0; mode < 3; mode++)
		{
			if (r[2 * mode].is_null())
				continue;

			std::string idx = r[2 * mode].c_str();
			std::string seq = r[2 * mode + 1].c_str();

			comparisons++;
			if (seq.compare(0, 6, "error ") == 0)
			{
				errors++;

				/*
				 * A safe condition that raises would make AND / OR answers
				 * depend on the order of evaluation, which SQL leaves open.
				 */
				if (!q.may_raise && unexpected_errors++ < 5)
				{
					std::cerr << "UNEXPECTED ERROR (" << kModes[mode] << "): " << seq << "\n";
					Describe(std::cerr, q, mode);
				}
				sqlstates[seq.substr(6)]++;
				/* syntax errors, undefined functions: the generator's bugs, not the hook's */
				if (seq.compare(6, 2, "42") == 0 && generator_errors++ < 5)
				{
					std::cerr << "GENERATOR ERROR (" << kModes[mode] << "): " << seq << "\n";
					Describe(std::cerr, q, mode);
				}
			}
			else if (seq != "0")
				nonzero++;
			/*
			 * The index does not evaluate the clause on rows its search rules
			 * out (core/sql_forms.h, "Errors"): where the seq scan raises an
			 * error, the index may give a count, or raise another error from
			 * another row.  Any other disagreement is a bug: two different
			 * counts, or an error through the index where the seq scan,
			 * evaluating every row, raised none.
			 */
			bool		seq_failed = seq.compare(0, 6, "error ") == 0;

			if (seq_failed && idx != seq)
				index_spared_error++;
			if (idx != seq && !seq_failed)
			{
				differences++;
				count_differences += idx.compare(0, 6, "error ") != 0 && seq.compare(0, 6, "error ") != 0;
				raising_differences += q.may_raise;
				std::cerr << "DIFFERENCE (" << kModes[mode] << ", " << q.form
					<< (q.may_raise ? ", may raise" : "") << "): index " << idx << ", seq scan "
					<< seq << "\n";
				Describe(std::cerr, q, mode);
			}
		}
	}

	double		secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

	std::cout << "orm_forms: " << kConditions << " conditions (" << prepared
		<< " also prepared, custom and generic), " << comparisons << " comparisons, "
		<< differences << " differences (" << count_differences << " between two counts, "
		<< raising_differences << " of conditions that may raise), " << nonzero << " with rows, "
		<< errors << " raising an error in the seq scan (" << index_spared_error
		<< " of them not raised through the index, which skips rows it rules out), " << secs
		<< " s" << std::endl;
	for (const auto &[state, count] : sqlstates)
		std::cout << "  SQLSTATE " << state << ": " << count << std::endl;
	BOOST_TEST(differences == 0);
	BOOST_TEST(generator_errors == 0);
	BOOST_TEST(unexpected_errors == 0);
	/* the run must compare real answers, not a wall of zeros or errors */
	BOOST_TEST(nonzero * 2 > comparisons);
	BOOST_TEST(errors * 10 < comparisons);
	BOOST_TEST(prepared * 10 > kConditions * 8);
}

BOOST_AUTO_TEST_CASE(derivable_forms_use_the_index)
{
	uint64_t	seed = pathx_test::Seed();

	std::cout << "orm_forms index use, seed " << seed << std::endl;
	pathx_test::TestDatabase db("px_orm_plan");
	pathx_test::RandomOrmForms gen(seed);

	CreateAndLoad(db.conn(), gen);

	/*
	 * Plans come from a new session, as an application's would: one that
	 * has not loaded the extension's library by creating the index.
	 */
	pqxx::connection app(db.Conninfo());
	pqxx::nontransaction n(app);
	Share		by_mode[3];
	Share		generic_path_param;
	int			folded = 0;
	std::map<std::string, Share> by_form;
	int			unserved_used = 0;
	int			unserved = 0;
	int			shown[3] = {0, 0, 0};

	for (int i = 0; i < kExplained; i++)
	{
		pathx_test::OrmCondition q = gen.Condition();

		if (!q.served || q.native)
		{
			unserved += !q.served;
			if (!q.served)
			{
				pqxx::row	r = n.exec_params1("SELECT px_orm_plan($1, NULL, NULL, NULL)", q.literal);

				unserved_used += std::string(r[0].c_str()).find("Bitmap Index Scan on t_doc") !=
					std::string::npos;
			}
			continue;
		}
		for (int mode = 0; mode < 3; mode++)
		{
			if (mode > 0 && q.params.empty())
				break;

			pqxx::row	r = mode == 0
				? n.exec_params1("SELECT px_orm_plan($1, NULL, NULL, NULL)", q.literal)
				: n.exec_params1("SELECT px_orm_plan($1, $2, $3, $4)", q.prepared, q.PrepareTypes(),
								 q.ExecuteArguments(),
								 mode == 1 ? "force_custom_plan" : "force_generic_plan");
			std::string plan = r[0].c_str();
			bool		used = plan.find("Bitmap Index Scan on t_doc") != std::string::npos;

			/* a NULL constant can fold the condition to false: no scan at all */
			if (plan.find("Scan on t") == std::string::npos && plan.compare(0, 6, "error ") != 0)
			{
				folded++;
				continue;
			}

			by_mode[mode].total++;
			by_mode[mode].used += used;
			by_form[q.form + (mode == 2 ? " [generic]" : "")].total++;
			by_form[q.form + (mode == 2 ? " [generic]" : "")].used += used;
			if (mode == 2 && q.path_param)
			{
				generic_path_param.total++;
				generic_path_param.used += used;
			}
			if (!used && shown[mode]++ < 3)
			{
				std::cout << "no index (" << kModes[mode] << ", " << q.form << "):\n";
				Describe(std::cout, q, mode);
				std::cout << plan;
			}
		}
	}

	std::vector<std::pair<std::string, Share>> forms(by_form.begin(), by_form.end());

	std::sort(forms.begin(), forms.end(), [](const auto &a, const auto &b) {
		return a.second.used * b.second.total < b.second.used * a.second.total;
	});
	std::cout << "index use by form, worst first (used/explained):" << std::endl;
	for (size_t i = 0; i < forms.size() && i < 25; i++)
		std::cout << "  " << forms[i].second.used << "/" << forms[i].second.total << "  "
			<< forms[i].first << std::endl;
	std::cout << "generic plans with a path step or extraction path as a parameter: "
		<< generic_path_param.used << "/" << generic_path_param.total << " used the index"
		<< std::endl;
	std::cout << "plans folded to a constant (not counted): " << folded << std::endl;
	std::cout << "unserved forms (compared, not required to use the index): " << unserved_used
		<< "/" << unserved << " used it" << std::endl;
	for (int mode = 0; mode < 3; mode++)
	{
		const Share &s = by_mode[mode];

		std::cout << "index used (" << kModes[mode] << "): " << s.used << "/" << s.total << " = "
			<< (s.total ? 100.0 * s.used / s.total : 0.0) << "% of the derivable forms" << std::endl;
		BOOST_TEST(s.total > 100);
		BOOST_TEST(s.used * 10 >= s.total * 6, "index used for " << s.used << "/" << s.total
				   << " derivable forms (" << kModes[mode] << "), at least 60% required");
	}
}

BOOST_AUTO_TEST_SUITE_END()
