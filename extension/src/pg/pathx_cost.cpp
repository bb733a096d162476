/*-------------------------------------------------------------------------
 *
 * pathx_cost.cpp
 *	  Price a jsonb_pathx_ops index scan by the rows its key search returns.
 *
 * PostgreSQL prices a GIN bitmap scan from the selectivity of the index
 * conditions, estimated as if the index answered them exactly.  For us it
 * often does not: doc @? '$.lat ? (@.double() > 70)' selects a few rows,
 * but the index can only search "$.lat exists", which every row passes,
 * and the executor then rechecks all of them.  Priced by the condition,
 * such a plan looks cheap and runs slower than a seq scan.
 *
 * So the estimate asks what the scan will really return.  The sampled
 * values of the column in pg_statistic (its most common values and its
 * histogram, which for jsonb are whole documents) are walked into keys as
 * the index stores them, and each index condition's search program (the
 * very program extractQuery hands to GIN) is evaluated on those keys, as
 * GIN's consistent function would: the share of sampled documents the
 * search lets through is the fraction of the table the bitmap will hold.
 * When that is larger than the condition's own selectivity, the index
 * path's selectivity is raised to it (so the heap part of the bitmap scan
 * is priced for every candidate) and its cost grows by the posting items
 * read.  Row estimates of the relation are not touched: they come from the
 * clauses, as always.
 *
 * The estimate is only raised, never lowered, and is left alone when it
 * cannot be computed: no statistics (documents wider than the statistics'
 * size limit are not sampled), an expression index, or a condition whose
 * operand is known only at run time.
 *
 * jsonb_pathx.cost_from_keys = off leaves GIN's estimate alone.
 *
 * The hook: get_relation_info_hook replaces the cost estimator of
 * jsonb_pathx_ops indexes in their IndexOptInfo by px_costestimate, which
 * calls GIN's own (gincostestimate) and then applies the correction.
 *
 * Sampled documents' key sets are cached across plannings (see
 * px_samples below).
 *
 * extension/src/pg/pathx_cost.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "pg/pg_glue.h"
#include "pg/pg_planner.h"
#include "pg/pathx_forms.h"

static get_relation_info_hook_type prev_get_relation_info_hook = NULL;
static amcostestimate_function gin_costestimate = NULL;
static bool px_cost_from_keys = true;

/* The keys of one sampled document, sorted by CompareBytes. */
typedef struct PxKeySet
{
	const uint8_t **keys;
	uint32	   *lens;
	int			count;
	int			cap;
} PxKeySet;

/* Sampled documents of one index's column, with their weights. */
typedef struct PxSample
{
	Oid			indexoid;
	int			ndocs;
	PxKeySet   *docs;
	double	   *weight;			/* share of the table each stands for */
	bool		usable;
} PxSample;

/*
 * Samples are kept across plannings, in a context under CacheMemoryContext,
 * until statistics or relations change (new ANALYZE, index dropped or
 * rebuilt with other options): then every sample is forgotten.  Walking a
 * hundred or two sampled documents costs about as much as planning a
 * simple query, so recomputing them each time would double planning time.
 */
#define PX_MAX_CACHED_SAMPLES 32

static MemoryContext px_sample_context = NULL;
static PxSample *px_samples[PX_MAX_CACHED_SAMPLES];
static int	px_nsamples = 0;

static void
px_forget_samples(void)
{
	if (px_sample_context)
		MemoryContextReset(px_sample_context);
	px_nsamples = 0;
}

static void
px_stats_changed(Datum arg, int cacheid, uint32 hashvalue)
{
	(void) arg;
	(void) cacheid;
	(void) hashvalue;
	px_forget_samples();
}

static void
px_rel_changed(Datum arg, Oid relid)
{
	(void) arg;
	(void) relid;
	px_forget_samples();
}

static void
collect_sample_key(void *arg, const uint8_t *key, size_t len, const char *path_text, bool covered)
{
	PxKeySet   *ks = (PxKeySet *) arg;
	uint8_t    *copy;

	(void) path_text;
	(void) covered;				/* the index side of the walk reports only stored keys */
	if (ks->count == ks->cap)
	{
		ks->cap = ks->cap ? ks->cap * 2 : 32;
		ks->keys = ks->keys
			? (const uint8_t **) repalloc(ks->keys, sizeof(uint8_t *) * ks->cap)
			: (const uint8_t **) palloc(sizeof(uint8_t *) * ks->cap);
		ks->lens = ks->lens
			? (uint32 *) repalloc(ks->lens, sizeof(uint32) * ks->cap)
			: (uint32 *) palloc(sizeof(uint32) * ks->cap);
	}
	copy = (uint8_t *) palloc(len);
	memcpy(copy, key, len);
	ks->keys[ks->count] = copy;
	ks->lens[ks->count] = (uint32) len;
	ks->count++;
}

/* Insertion-free sort of a key set: keys per document are few. */
static void
sort_keys(PxKeySet *ks)
{
	for (int i = 1; i < ks->count; i++)
	{
		const uint8_t *k = ks->keys[i];
		uint32		l = ks->lens[i];
		int			j = i - 1;

		while (j >= 0 && pathx::CompareBytes(ks->keys[j], ks->lens[j], k, l) > 0)
		{
			ks->keys[j + 1] = ks->keys[j];
			ks->lens[j + 1] = ks->lens[j];
			j--;
		}
		ks->keys[j + 1] = k;
		ks->lens[j + 1] = l;
	}
}

/* First key not below 'key'. */
static int
lower_bound(const PxKeySet *ks, const uint8_t *key, uint32 len)
{
	int			lo = 0,
				hi = ks->count;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (pathx::CompareBytes(ks->keys[mid], ks->lens[mid], key, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Would GIN return this document for the program?  As consistent() decides. */
static bool
program_passes(const void *image, const PxKeySet *ks)
{
	const pathx::ProgramHeader *h = pathx::ProgramGetHeader(image);
	bool	   *check;
	bool		result;

	switch (static_cast<pathx::ProgramResult>(h->result))
	{
		case pathx::ProgramResult::kFullScan:
			return true;
		case pathx::ProgramResult::kNothing:
			return false;
		default:
			break;
	}
	check = (bool *) palloc(sizeof(bool) * (h->nentries + 1));
	for (uint32 i = 0; i < h->nentries; i++)
	{
		const pathx::ProgramEntry *e = pathx::ProgramGetEntry(image, i);
		const uint8_t *key = pathx::ProgramGetKey(image, i);
		int			pos = lower_bound(ks, key, e->key_len);

		check[i] = false;
		if (!e->partial)
			check[i] = pos < ks->count &&
				pathx::CompareBytes(ks->keys[pos], ks->lens[pos], key, e->key_len) == 0;
		else
		{
			/* the partial-match scan: from the start key until comparePartial stops */
			for (int j = pos; j < ks->count; j++)
			{
				int			r = pathx::ComparePartial(e->spec, ks->keys[j], ks->lens[j]);

				if (r == 0)
				{
					check[i] = true;
					break;
				}
				if (r > 0)
					break;
			}
		}
	}
	result = pathx::EvaluateProgram(image, check, false) != pathx::kTernaryFalse;
	pfree(check);
	return result;
}

static void
add_docs(PxSample *s, Datum *values, int n, const float4 *freqs, double rest_weight,
		 const pathx::IndexOptions *opts)
{
	for (int i = 0; i < n; i++)
	{
		Jsonb	   *jb = DatumGetJsonbP(values[i]);
		PxKeySet   *ks = &s->docs[s->ndocs];

		memset(ks, 0, sizeof(*ks));
		if (JB_ROOT_COUNT(jb) > 0)
			px_walk_document(&jb->root, PX_CONTAINER_KEYS_ALL, opts, false, collect_sample_key, ks);
		sort_keys(ks);
		s->weight[s->ndocs] = freqs ? freqs[i] : rest_weight / n;
		s->ndocs++;
	}
}

/* The sampled documents of the index's column, from pg_statistic. */
static PxSample *get_sample_in_context(PlannerInfo *root, IndexOptInfo *index, int col);

static PxSample *
get_sample(PlannerInfo *root, IndexOptInfo *index, int col)
{
	PxSample   *s;
	MemoryContext old;

	for (int i = 0; i < px_nsamples; i++)
		if (px_samples[i]->indexoid == index->indexoid)
			return px_samples[i];
	if (px_nsamples == PX_MAX_CACHED_SAMPLES)
		px_forget_samples();
	if (px_sample_context == NULL)
		px_sample_context = AllocSetContextCreate(CacheMemoryContext, "jsonb_pathx samples",
												  ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(px_sample_context);
	s = get_sample_in_context(root, index, col);
	MemoryContextSwitchTo(old);
	px_samples[px_nsamples++] = s;
	return s;
}

/* get_sample's work, allocating in the current (cache) context. */
static PxSample *
get_sample_in_context(PlannerInfo *root, IndexOptInfo *index, int col)
{
	RangeTblEntry *rte = planner_rt_fetch(index->rel->relid, root);
	AttrNumber	attnum = index->indexkeys[col];
	HeapTuple	stats;
	AttStatsSlot mcv,
				hist;
	bool		have_mcv,
				have_hist;
	PxSample   *s = (PxSample *) palloc0(sizeof(PxSample));
	double		mcv_total = 0;
	double		nullfrac;
	const pathx::IndexOptions *opts;

	s->indexoid = index->indexoid;
	if (attnum == 0 || rte->rtekind != RTE_RELATION)
		return s;				/* an expression index: no column statistics */
	stats = SearchSysCache3(STATRELATTINH, ObjectIdGetDatum(rte->relid), Int16GetDatum(attnum),
							BoolGetDatum(rte->inh));
	if (!HeapTupleIsValid(stats))
		return s;
	nullfrac = ((Form_pg_statistic) GETSTRUCT(stats))->stanullfrac;
	have_mcv = get_attstatsslot(&mcv, stats, STATISTIC_KIND_MCV, InvalidOid,
								ATTSTATSSLOT_VALUES | ATTSTATSSLOT_NUMBERS);
	have_hist = get_attstatsslot(&hist, stats, STATISTIC_KIND_HISTOGRAM, InvalidOid,
								 ATTSTATSSLOT_VALUES);
	s->docs = (PxKeySet *) palloc(sizeof(PxKeySet) *
								  ((have_mcv ? mcv.nvalues : 0) + (have_hist ? hist.nvalues : 0) + 1));
	s->weight = (double *) palloc(sizeof(double) *
								  ((have_mcv ? mcv.nvalues : 0) + (have_hist ? hist.nvalues : 0) + 1));
	opts = px_options_of_index(index->indexoid);
	if (have_mcv)
	{
		for (int i = 0; i < mcv.nnumbers; i++)
			mcv_total += mcv.numbers[i];
		add_docs(s, mcv.values, Min(mcv.nvalues, mcv.nnumbers), mcv.numbers, 0, opts);
	}
	if (have_hist)
		add_docs(s, hist.values, hist.nvalues, NULL,
				 Max(0.0, 1.0 - nullfrac - mcv_total), opts);

	/* too few documents say nothing worth acting on */
	s->usable = s->ndocs >= 10;
	if (have_mcv)
		free_attstatsslot(&mcv);
	if (have_hist)
		free_attstatsslot(&hist);
	ReleaseSysCache(stats);
	return s;
}

/*
 * The share of the table the index scan of 'path' returns, or -1 when it
 * cannot be told.
 */
static double
key_search_selectivity(PlannerInfo *root, IndexPath *path)
{
	IndexOptInfo *index = path->indexinfo;
	List	   *programs = NIL;
	int			col = -1;
	ListCell   *lc;
	PxSample   *s;
	double		sel = 0;

	foreach(lc, path->indexclauses)
	{
		IndexClause *ic = (IndexClause *) lfirst(lc);
		ListCell   *lq;

		if (col >= 0 && ic->indexcol != col)
			return -1;			/* conditions on several columns: leave it to GIN */
		col = ic->indexcol;
		foreach(lq, ic->indexquals)
		{
			RestrictInfo *rinfo = (RestrictInfo *) lfirst(lq);
			OpExpr	   *op = (OpExpr *) rinfo->clause;
			Node	   *arg;
			int			strategy;
			PxQuery		q;

			if (!IsA(op, OpExpr) || list_length(op->args) != 2)
				return -1;
			arg = (Node *) lsecond(op->args);
			while (IsA(arg, RelabelType))
				arg = (Node *) ((RelabelType *) arg)->arg;
			if (!IsA(arg, Const) || ((Const *) arg)->constisnull)
				return -1;		/* known at run time only */
			strategy = get_op_opfamily_strategy(op->opno, index->opfamily[col]);
			if (strategy == 0)
				return -1;
			q = px_query_for_strategy((StrategyNumber) strategy, ((Const *) arg)->constvalue,
									  px_options_of_index(index->indexoid));
			programs = lappend(programs, q.image);
		}
	}
	if (col < 0 || programs == NIL)
		return -1;

	s = get_sample(root, index, col);
	if (!s->usable)
		return -1;
	for (int i = 0; i < s->ndocs; i++)
	{
		bool		pass = true;

		foreach(lc, programs)
		{
			if (!program_passes(lfirst(lc), &s->docs[i]))
			{
				pass = false;
				break;
			}
		}
		if (pass)
			sel += s->weight[i];
	}
	return Min(Max(sel, 0.0), 1.0);
}

/*
 * The share of the table a search for `column <opno> query` returns on
 * index 'index', from the sampled documents, or -1 when it cannot be told.
 * The planner side gives it to the derived conditions it builds, so that
 * PostgreSQL's estimator does not evaluate their jsonpath on the sampled
 * documents once more (detoasting the statistics each time): the index
 * returns exactly the rows its search lets through.
 */
double
px_search_selectivity(PlannerInfo *root, IndexOptInfo *index, int col, Oid opno, Datum query)
{
	int			strategy = get_op_opfamily_strategy(opno, index->opfamily[col]);
	PxSample   *s;
	PxQuery		q;
	double		sel = 0;

	if (strategy == 0 || !px_cost_from_keys)
		return -1;
	s = get_sample(root, index, col);
	if (!s->usable)
		return -1;
	q = px_query_for_strategy((StrategyNumber) strategy, query, px_options_of_index(index->indexoid));
	for (int i = 0; i < s->ndocs; i++)
		if (program_passes(q.image, &s->docs[i]))
			sel += s->weight[i];
	return Min(Max(sel, 0.0), 1.0);
}

static void
px_costestimate(PlannerInfo *root, IndexPath *path, double loop_count,
				Cost *indexStartupCost, Cost *indexTotalCost,
				Selectivity *indexSelectivity, double *indexCorrelation,
				double *indexPages)
{
	double		key_sel;
	ListCell   *lc;
	bool		derived = false;	/* some condition derived by the planner side */

	gin_costestimate(root, path, loop_count, indexStartupCost, indexTotalCost,
					 indexSelectivity, indexCorrelation, indexPages);
	if (!px_cost_from_keys)
		return;
	foreach(lc, path->indexclauses)
		derived = derived || ((IndexClause *) lfirst(lc))->lossy;

	/*
	 * One derived condition carries its key search's selectivity already
	 * (px_search_selectivity, set by the planner side): evaluating the
	 * search on the sample again would give the same figure.  Several are
	 * evaluated together, since their searches may be correlated.
	 */
	key_sel = derived && list_length(path->indexclauses) == 1 ? -1
		: key_search_selectivity(root, path);
	if (key_sel > *indexSelectivity)
	{
		/* every candidate's posting item is read, and its heap tuple rechecked */
		*indexTotalCost += (key_sel - *indexSelectivity) * path->indexinfo->rel->tuples *
			cpu_index_tuple_cost;
		*indexSelectivity = key_sel;
	}

	/*
	 * Our answers are always rechecked: every candidate's tuple is fetched
	 * and the original condition evaluated on it, on top of the bitmap's
	 * own work.  PostgreSQL's bitmap heap cost charges that like a seq
	 * scan's per-tuple work, which makes a scan that returns most of the
	 * table cost about what the seq scan does, and take longer (measured:
	 * 94 ms against 67 ms at 60% of 200,000 rows).  A tuple's processing
	 * per candidate is what tips such plans back to the seq scan; for
	 * selective searches it is negligible.  Charged for the conditions the
	 * planner side derived (lossy IndexClauses), whose recheck is the
	 * original clause and not the index operator.
	 */
	if (derived)
		*indexTotalCost += *indexSelectivity * path->indexinfo->rel->tuples * cpu_tuple_cost;
}

/* Is any key column of 'index' a jsonb_pathx_ops column? */
static bool
is_pathx_index(IndexOptInfo *index)
{
	for (int col = 0; col < index->nkeycolumns; col++)
	{
		if (px_is_pathx_opfamily(index->opfamily[col]))
			return true;
	}
	return false;
}

static void
px_get_relation_info(PlannerInfo *root, Oid relationObjectId, bool inhparent, RelOptInfo *rel)
{
	ListCell   *lc;

	if (prev_get_relation_info_hook)
		prev_get_relation_info_hook(root, relationObjectId, inhparent, rel);

	foreach(lc, rel->indexlist)
	{
		IndexOptInfo *index = (IndexOptInfo *) lfirst(lc);

		if (index->relam != GIN_AM_OID || !is_pathx_index(index))
			continue;
		if (gin_costestimate == NULL)
			gin_costestimate = (amcostestimate_function) index->amcostestimate;
		if ((amcostestimate_function) index->amcostestimate == gin_costestimate)
			index->amcostestimate = (void (*) ()) px_costestimate;
	}
}

void
px_cost_init(void)
{
	DefineCustomBoolVariable("jsonb_pathx.cost_from_keys",
							 "Prices jsonb_pathx_ops index scans by the rows their key search returns.",
							 "Evaluates each index search on the column's sampled documents; "
							 "a search much weaker than its condition then costs what it reads.",
							 &px_cost_from_keys,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	CacheRegisterSyscacheCallback(STATRELATTINH, px_stats_changed, (Datum) 0);
	CacheRegisterRelcacheCallback(px_rel_changed, (Datum) 0);
	prev_get_relation_info_hook = get_relation_info_hook;
	get_relation_info_hook = px_get_relation_info;
}
