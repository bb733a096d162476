/*
 * random_orm_forms.h
 *	  Seeded generators of documents over a small fixed vocabulary and of
 *	  WHERE conditions in the SQL forms applications and ORMs write on a
 *	  jsonb column (doc->>'a' = 'x', (doc->'n')::numeric > 5,
 *	  jsonb_path_exists(doc, ...), ...), for the differential test of the
 *	  planner hook that derives jsonb_pathx_ops index conditions from them
 *	  (orm_forms_test.cpp).
 *
 * The operators of random_json.h are what the operator class serves by
 * itself; the forms here are served only through a derived, lossy index
 * condition, and every trap of SQL's jsonb semantics is a way for that
 * derivation to lose a row.  So the documents are built to hit the traps
 * (see random_orm_forms.cpp for the list and why each is there) and the
 * conditions draw their paths and constants from the same vocabulary, so
 * that most of them match some rows.
 *
 * Each condition comes in two renderings of the same shape: with its
 * constants written inline (literals), and with them as $n parameters of
 * a prepared statement, with the parameter types and the EXECUTE
 * arguments.  The generator also says what it expects of the planner hook
 * (served: a form the hook is meant to derive an index condition from;
 * native: the index is usable without the hook) and whether the
 * condition may raise an error on some documents.
 */
#ifndef PATHX_TESTS_RANDOM_ORM_FORMS_H
#define PATHX_TESTS_RANDOM_ORM_FORMS_H

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace pathx_test
{

/* One parameter of the prepared rendering. */
struct OrmParam
{
	std::string type;			/* SQL type in PREPARE name(type, ...) */
	std::string argument;		/* SQL literal in EXECUTE name(arg, ...), or NULL */
};

struct OrmCondition
{
	std::string literal;		/* WHERE condition, constants inline */
	std::string prepared;		/* the same with $1, $2, ... */
	std::vector<OrmParam> params;
	std::string form;			/* short label of the leaf form, for statistics */
	bool		served = false; /* the hook is meant to derive an index condition */
	bool		native = false; /* the index is usable without the hook */
	bool		may_raise = false;	/* may raise an error on some document */
	bool		path_param = false; /* a path step or extraction path is a parameter */

	/* "(text, numeric)", or "" without parameters */
	std::string PrepareTypes() const;
	/* "('x', '5')", or "" without parameters */
	std::string ExecuteArguments() const;
};

/* A step of an extraction path: a member name, or an array index. */
struct OrmStep
{
	std::string key;			/* member name, or the index as text ("0", "-1") */
	bool		index = false;
};

using OrmPath = std::vector<OrmStep>;

class RandomOrmForms
{
  public:
	explicit RandomOrmForms(uint64_t seed) : rng_(seed) {}

	/* A random document (JSON text) over the fixed vocabulary. */
	std::string Document();

	/* A random condition on column "doc" in the ORM forms. */
	OrmCondition Condition();

	uint64_t	Below(uint64_t n)
	{
		return n == 0 ? 0 : rng_() % n;
	}

	/*
	 * Both renderings of a piece of SQL, built side by side so that the
	 * literal and the prepared condition always have the same shape.
	 */
	struct Sql
	{
		std::string lit;
		std::string prep;
	};

  private:
	struct Leaf
	{
		Sql			sql;
		std::string form;
		bool		served = true;
		bool		native = false;
		bool		may_raise = false;
	};

	struct Extraction
	{
		Sql			sql;			/* parenthesized when it needs to be */
		std::string syntax;		/* "->>", "#>", "[]", "extract_path", ... */
	};

	bool		Chance(double p)
	{
		return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p;
	}
	template<typename T, size_t N>
	const T	   &Pick(const T (&a)[N])
	{
		return a[Below(N)];
	}
	std::string PickOf(std::initializer_list<const char *> l)
	{
		return *(l.begin() + Below(l.size()));
	}

	/* documents */
	std::string Object(int depth);
	std::string TrapScalar();
	std::string TrapNumber();
	std::string TrapString();
	std::string SmallContainer();
	std::string Numberish();
	std::string Stringish();
	std::string ValueA(int depth);
	std::string Items();
	std::string Item();
	std::string Tags();
	std::string User();
	std::string SafeQty();
	std::string SafePrice();

	/* conditions */
	Leaf		AnyLeaf(bool allow_raise);
	Leaf		TextLeaf();
	Leaf		JsonbLeaf();
	Leaf		CastLeaf(bool allow_raise);
	Leaf		BoolCastLeaf(bool allow_raise);
	Leaf		PairLeaf();
	std::string CastValue(const std::string &type);
	Leaf		NonStrictLeaf(const OrmPath &path, const Extraction &e, bool text);
	Leaf		FunctionLeaf(bool allow_raise);
	Leaf		NativeLeaf();
	Leaf		UnservedLeaf(bool allow_raise);
	Leaf		Compound(int depth, bool *served, bool *native);

	OrmPath		AnyPath(bool allow_empty);
	OrmPath		SafeCastPath(int *kind);
	Extraction	Extract(const OrmPath &path, bool text);
	Sql			PathKey(const OrmStep &s, bool allow_index);
	std::string TextConstant(const OrmPath &path);
	std::string JsonConstant(const OrmPath &path);
	std::string JsonPath(bool *served, bool *uses_var);
	std::string JsonPathPredicate(int depth, bool *uses_var);
	std::string JsonPathSteps(const OrmPath &path);
	std::string JsonPathLiteral();

	Sql			Const(const std::string &type, const std::optional<std::string> &value,
					  const std::string &literal);
	Sql			PathConst(const std::string &type, const std::string &value,
						  const std::string &literal);
	Sql			TextConst(const std::string &value);
	Sql			TextArray(const std::vector<std::optional<std::string>> &values, bool as_array_ctor);
	Sql			JsonbConst(const std::string &json);
	Sql			NumberConst(const std::string &type, const std::string &value,
							bool explicit_type = false);
	std::string LikePattern(const OrmPath &path, char esc);
	std::string Prefix(const std::string &s, size_t min, size_t max);

	std::mt19937_64 rng_;
	std::vector<OrmParam> params_; /* of the condition being built */
	bool		path_param_ = false;
};

RandomOrmForms::Sql operator+(RandomOrmForms::Sql a, const RandomOrmForms::Sql &b);

/* A text[] literal body: {"a","b",NULL}. */
std::string TextArrayLiteral(const std::vector<std::optional<std::string>> &values);

}							/* namespace pathx_test */

#endif
