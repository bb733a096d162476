/*-------------------------------------------------------------------------
 *
 * pathx_query.cpp
 *	  Turn a GIN query operand into a program image, across the C++ boundary.
 *
 * Two phases, kept apart on purpose:
 *
 * 1. PostgreSQL phase (plain C-style code, may ereport): read the operand
 *	  and describe it in plain-old-data form.  A jsonpath becomes an array
 *	  of pathx::AstNode; a containment document or key list becomes an
 *	  array of pathx::LeafRequest.  Everything is palloc'd.
 *
 * 2. C++ phase (build_jsonpath / build_cnf through run_builder, noexcept,
 *	  never calls PostgreSQL): the core builds the program with std::
 *	  containers inside a try block, and the result is moved into one
 *	  malloc'd block of plain bytes.  A C++ exception is caught and its
 *	  message copied.
 *
 * 3. PostgreSQL again (finish_build): once every C++ object is destroyed,
 *	  report a failure with ereport(), or copy the block into palloc'd
 *	  memory and free it.  So no C++ object is alive while PostgreSQL may
 *	  longjmp, and no longjmp can leak the block.
 *
 * extension/src/pg/pathx_query.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "pg/pg_glue.h"

#include <cstdlib>
#include <new>

/* Beyond this nesting, jsonpath items are described as kOther (FULL). */
#define PX_MAX_AST_DEPTH	200

typedef struct AstBuf
{
	pathx::AstNode *nodes;
	int			count;
	int			cap;
} AstBuf;

typedef enum BuildStatus
{
	BUILD_OK,
	BUILD_OOM,
	BUILD_CXX_ERROR
} BuildStatus;

/* ---------- C++ phase ---------- */

/*
 * A built query as plain bytes in malloc'd memory: the image, then the
 * explain text with its NUL.  It carries the result out of the C++ phase
 * so that every C++ object (the BuiltQuery and its std::strings) is gone
 * before PostgreSQL allocates anything: palloc may ereport, and a longjmp
 * must never skip a destructor.
 */
typedef struct PxBuiltBlock
{
	size_t		image_size;
	size_t		explain_size;
	char		data[FLEXIBLE_ARRAY_MEMBER];
} PxBuiltBlock;

/*
 * Run a core builder and move its result into a PxBuiltBlock.  The only
 * place where C++ exceptions are caught on the query path: 'build' runs
 * inside the try, the catch blocks only copy a message.
 */
template<typename Build>
static BuildStatus
run_builder(Build &&build, PxBuiltBlock **out, char *errbuf, size_t errlen) noexcept
{
	try
	{
		pathx::BuiltQuery built = build();
		size_t		isize = built.image.size();
		size_t		esize = built.explain.size() + 1;
		PxBuiltBlock *block;

		if (isize >= MaxAllocSize || esize >= MaxAllocSize)
			return BUILD_OOM;
		block = static_cast<PxBuiltBlock *>(std::malloc(offsetof(PxBuiltBlock, data) + isize + esize));
		if (block == NULL)
			return BUILD_OOM;
		block->image_size = isize;
		block->explain_size = esize;
		memcpy(block->data, built.image.data(), isize);
		memcpy(block->data + isize, built.explain.c_str(), esize);
		*out = block;
		return BUILD_OK;
	}
	catch (const std::bad_alloc &)
	{
		return BUILD_OOM;
	}
	catch (const std::exception &e)
	{
		strlcpy(errbuf, e.what(), errlen);
	}
	catch (...)
	{
		strlcpy(errbuf, "unknown C++ exception", errlen);
	}
	return BUILD_CXX_ERROR;
}

static BuildStatus
build_jsonpath(const AstBuf *ast, int root, pathx::JsonPathMode mode, bool strict,
			   const pathx::IndexOptions *opts, PxBuiltBlock **out, char *errbuf,
			   size_t errlen) noexcept
{
	return run_builder([&]() {
		return pathx::BuildJsonPathQuery(ast->nodes, (size_t) ast->count, root, mode, *opts,
										 strict);
	}, out, errbuf, errlen);
}

static BuildStatus
build_cnf(const pathx::LeafRequest *leaves, int nleaves, int ngroups, bool empty_means_all,
		  PxBuiltBlock **out, char *errbuf, size_t errlen) noexcept
{
	return run_builder([&]() {
		return pathx::BuildCnfQuery(leaves, (size_t) nleaves, (size_t) ngroups, empty_means_all);
	}, out, errbuf, errlen);
}

/* ---------- PostgreSQL phase ---------- */

static void report_build_failure(BuildStatus status, const char *errbuf);

/*
 * The PostgreSQL phase of a build: report a failure, or copy the block
 * into the current memory context and free it.  The allocations do not
 * ereport (MCXT_ALLOC_NO_OOM), so the block is always freed.
 */
static PxQuery
finish_build(BuildStatus status, PxBuiltBlock *block, const char *errbuf)
{
	PxQuery		q = {NULL, NULL};

	if (status != BUILD_OK)
		report_build_failure(status, errbuf);
	q.image = MemoryContextAllocExtended(CurrentMemoryContext, block->image_size,
										 MCXT_ALLOC_NO_OOM);
	q.explain = (char *) MemoryContextAllocExtended(CurrentMemoryContext, block->explain_size,
													MCXT_ALLOC_NO_OOM);
	if (q.image != NULL && q.explain != NULL)
	{
		memcpy(q.image, block->data, block->image_size);
		memcpy(q.explain, block->data + block->image_size, block->explain_size);
	}
	std::free(block);
	if (q.image == NULL || q.explain == NULL)
		report_build_failure(BUILD_OOM, "");
	return q;
}

static void
report_build_failure(BuildStatus status, const char *errbuf)
{
	if (status == BUILD_OOM)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Failed while building a jsonb_pathx_ops index search.")));
	ereport(ERROR,
			(errcode(ERRCODE_INTERNAL_ERROR),
			 errmsg("jsonb_pathx: could not build index search: %s", errbuf)));
}

static int
ast_add(AstBuf *buf, pathx::AstKind kind)
{
	pathx::AstNode *n;

	if (buf->count == buf->cap)
	{
		buf->cap = buf->cap ? buf->cap * 2 : 16;
		buf->nodes = buf->nodes
			? (pathx::AstNode *) repalloc(buf->nodes, sizeof(pathx::AstNode) * buf->cap)
			: (pathx::AstNode *) palloc(sizeof(pathx::AstNode) * buf->cap);
	}
	n = &buf->nodes[buf->count];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->next = -1;
	n->arg0 = -1;
	n->arg1 = -1;
	return buf->count++;
}

/* jsonpath strings are in the server encoding; the keys want UTF-8. */
static void
set_utf8_string(pathx::AstNode *n, char *s, int len)
{
	int			utf8_len;

	n->str = px_text_to_utf8(s, len, &utf8_len);
	n->len = (uint32_t) utf8_len;
}

static int	ast_chain(AstBuf *buf, JsonPathItem *item, int depth);

/* Describe one jsonpath item (not following its 'next'). */
static int
ast_item(AstBuf *buf, JsonPathItem *item, int depth)
{
	JsonPathItem arg;
	int			idx;

	if (depth > PX_MAX_AST_DEPTH)
		return ast_add(buf, pathx::AstKind::kOther);
	check_stack_depth();

	switch (item->type)
	{
		case jpiNull:
			return ast_add(buf, pathx::AstKind::kNull);
		case jpiBool:
			idx = ast_add(buf, pathx::AstKind::kBool);
			buf->nodes[idx].bool_value = jspGetBool(item);
			return idx;
		case jpiNumeric:
			{
				char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out,
																	   NumericGetDatum(jspGetNumeric(item))));

				idx = ast_add(buf, pathx::AstKind::kNumber);
				buf->nodes[idx].str = text; /* NUL-terminated, as the core expects */
				buf->nodes[idx].len = (uint32_t) strlen(text);
				return idx;
			}
		case jpiString:
			{
				int32		len;
				char	   *s = jspGetString(item, &len);

				idx = ast_add(buf, pathx::AstKind::kString);
				set_utf8_string(&buf->nodes[idx], s, len);
				return idx;
			}
		case jpiKey:
			{
				int32		len;
				char	   *s = jspGetString(item, &len);

				/* member names are hashed as stored, like the documents' */
				idx = ast_add(buf, pathx::AstKind::kKey);
				buf->nodes[idx].str = s;
				buf->nodes[idx].len = (uint32_t) len;
				{
					/* ... and shown in UTF-8, like the rest of explain text */
					int			shown_len;
					const char *shown = px_text_to_utf8(s, len, &shown_len);

					if (shown != s)
					{
						buf->nodes[idx].shown = shown;
						buf->nodes[idx].shown_len = (uint32_t) shown_len;
					}
				}
				return idx;
			}
		case jpiAnd:
		case jpiOr:
		case jpiEqual:
		case jpiNotEqual:
		case jpiLess:
		case jpiGreater:
		case jpiLessOrEqual:
		case jpiGreaterOrEqual:
		case jpiStartsWith:
			{
				pathx::AstKind kind = pathx::AstKind::kCompare;
				pathx::CompareOp cmp = pathx::CompareOp::kEq;
				int			l,
							r;

				switch (item->type)
				{
					case jpiAnd:
						kind = pathx::AstKind::kAnd;
						break;
					case jpiOr:
						kind = pathx::AstKind::kOr;
						break;
					case jpiStartsWith:
						kind = pathx::AstKind::kStartsWith;
						break;
					case jpiNotEqual:
						cmp = pathx::CompareOp::kNe;
						break;
					case jpiLess:
						cmp = pathx::CompareOp::kLt;
						break;
					case jpiGreater:
						cmp = pathx::CompareOp::kGt;
						break;
					case jpiLessOrEqual:
						cmp = pathx::CompareOp::kLe;
						break;
					case jpiGreaterOrEqual:
						cmp = pathx::CompareOp::kGe;
						break;
					default:
						break;
				}
				jspGetLeftArg(item, &arg);
				l = ast_chain(buf, &arg, depth + 1);
				jspGetRightArg(item, &arg);
				r = ast_chain(buf, &arg, depth + 1);
				idx = ast_add(buf, kind);
				buf->nodes[idx].cmp = cmp;
				buf->nodes[idx].arg0 = l;
				buf->nodes[idx].arg1 = r;
				return idx;
			}
		case jpiNot:
			return ast_add(buf, pathx::AstKind::kNot);
		case jpiIsUnknown:
			return ast_add(buf, pathx::AstKind::kIsUnknown);
		case jpiExists:
		case jpiFilter:
			{
				int			a;

				jspGetArg(item, &arg);
				a = ast_chain(buf, &arg, depth + 1);
				idx = ast_add(buf, item->type == jpiExists ? pathx::AstKind::kExists
							  : pathx::AstKind::kFilter);
				buf->nodes[idx].arg0 = a;
				return idx;
			}
		case jpiLikeRegex:
			{
				int			a;

				jspInitByBuffer(&arg, item->base, item->content.like_regex.expr);
				a = ast_chain(buf, &arg, depth + 1);
				idx = ast_add(buf, pathx::AstKind::kLikeRegex);
				buf->nodes[idx].arg0 = a;
				buf->nodes[idx].regex_flags = item->content.like_regex.flags;
				set_utf8_string(&buf->nodes[idx], item->content.like_regex.pattern,
								item->content.like_regex.patternlen);
				return idx;
			}
		case jpiAnyArray:
		case jpiIndexArray:
			return ast_add(buf, pathx::AstKind::kAnyArray);
		case jpiAnyKey:
			return ast_add(buf, pathx::AstKind::kAnyKey);
		case jpiAny:
			return ast_add(buf, pathx::AstKind::kAny);
		case jpiCurrent:
			return ast_add(buf, pathx::AstKind::kCurrent);
		case jpiRoot:
			return ast_add(buf, pathx::AstKind::kRoot);
		case jpiType:
			idx = ast_add(buf, pathx::AstKind::kMethod);
			buf->nodes[idx].method = pathx::MethodKind::kType;
			return idx;
		case jpiSize:
		case jpiAbs:
		case jpiFloor:
		case jpiCeiling:
		case jpiDouble:
		case jpiDatetime:
		case jpiKeyValue:
			return ast_add(buf, pathx::AstKind::kMethod);
		default:
			/* variables, arithmetic, subscripts, last, future item types */
			return ast_add(buf, pathx::AstKind::kOther);
	}
}

/* Describe an item and the chain of items following it; returns the first. */
static int
ast_chain(AstBuf *buf, JsonPathItem *item, int depth)
{
	JsonPathItem cur = *item;
	JsonPathItem next;
	int			first = -1;
	int			prev = -1;

	for (;;)
	{
		int			idx = ast_item(buf, &cur, depth);

		if (prev >= 0)
			buf->nodes[prev].next = idx;
		else
			first = idx;
		prev = idx;
		if (!jspGetNext(&cur, &next))
			break;
		cur = next;
	}
	return first;
}

/*
 * Is this jsonpath item a whole predicate (so that @@ is the natural
 * operator, and it can be an operand of && and ||)?
 */
bool
px_jsonpath_is_predicate(JsonPathItem *item)
{
	switch (item->type)
	{
		case jpiAnd:
		case jpiOr:
		case jpiNot:
		case jpiIsUnknown:
		case jpiEqual:
		case jpiNotEqual:
		case jpiLess:
		case jpiGreater:
		case jpiLessOrEqual:
		case jpiGreaterOrEqual:
		case jpiExists:
		case jpiStartsWith:
		case jpiLikeRegex:
			return !jspHasNext(item);
		default:
			return false;
	}
}

PxQuery
px_query_for_jsonpath(JsonPath *jp, pathx::JsonPathMode mode, const pathx::IndexOptions *opts)
{
	AstBuf		buf = {NULL, 0, 0};
	JsonPathItem root;
	PxBuiltBlock *block = NULL;
	char		errbuf[256] = "";
	BuildStatus status;
	int			first;

	jspInit(&root, jp);
	first = ast_chain(&buf, &root, 0);

	/*
	 * The core's builder recurses too (to a fixed depth, but with large
	 * frames) and cannot check the stack itself.  Fail here, cleanly, when
	 * the backend is already at max_stack_depth; below it, the margin
	 * PostgreSQL keeps under the real stack limit covers that bounded depth.
	 */
	check_stack_depth();

	status = build_jsonpath(&buf, first, mode, (jp->header & JSONPATH_LAX) == 0, opts, &block,
							errbuf, sizeof(errbuf));
	return finish_build(status, block, errbuf);
}

/* ---------- containment and key lists ---------- */

typedef struct LeafBuf
{
	pathx::LeafRequest *leaves;
	int			count;
	int			cap;
} LeafBuf;

static pathx::LeafRequest *
leaf_add(LeafBuf *buf)
{
	pathx::LeafRequest *r;

	if (buf->count == buf->cap)
	{
		buf->cap = buf->cap ? buf->cap * 2 : 16;
		buf->leaves = buf->leaves
			? (pathx::LeafRequest *) repalloc(buf->leaves, sizeof(pathx::LeafRequest) * buf->cap)
			: (pathx::LeafRequest *) palloc(sizeof(pathx::LeafRequest) * buf->cap);
	}
	r = &buf->leaves[buf->count++];
	memset(r, 0, sizeof(*r));
	return r;
}

static void
collect_containment_key(void *arg, const uint8_t *key, size_t len, const char *path_text,
						bool covered)
{
	LeafBuf    *buf = (LeafBuf *) arg;
	pathx::LeafRequest *r = leaf_add(buf);
	uint8_t    *copy = (uint8_t *) palloc(len);

	memcpy(copy, key, len);
	r->kind = pathx::LeafKind::kExact;
	r->group = (uint32_t) (buf->count - 1);	/* every key is required */
	r->key = copy;
	r->key_len = (uint32_t) len;
	{
		/* explain text is UTF-8; the walker's path text is as stored */
		int			shown_len;
		const char *shown = px_text_to_utf8(path_text, (int) strlen(path_text), &shown_len);

		r->path_text = shown != path_text ? shown : pstrdup(path_text);
		r->path_text_len = (uint32_t) shown_len;
	}
	r->covered = covered;
}

static PxQuery
finish_cnf(LeafBuf *buf, int ngroups, bool empty_means_all)
{
	PxBuiltBlock *block = NULL;
	char		errbuf[256] = "";
	BuildStatus status;

	status = build_cnf(buf->leaves, buf->count, ngroups, empty_means_all, &block, errbuf,
					   sizeof(errbuf));
	return finish_build(status, block, errbuf);
}

PxQuery
px_query_for_containment(Jsonb *query, const pathx::IndexOptions *opts)
{
	LeafBuf		buf = {NULL, 0, 0};

	/*
	 * Every scalar of the operand, at its path, must be present in a
	 * containing document; so must a container at the path of every empty
	 * object or array member.  Containment {} / [] with nothing else is true
	 * of every object / array: full scan.
	 */
	px_walk_document(&query->root, PX_CONTAINER_KEYS_EMPTY, opts, true,
					 collect_containment_key, &buf);
	return finish_cnf(&buf, buf.count, true);
}

PxQuery
px_query_for_keys(Datum *keys, bool *nulls, int nkeys, bool all, const pathx::IndexOptions *opts)
{
	LeafBuf		buf = {NULL, 0, 0};
	int			group = 0;
	uint32_t	root = pathx::RootPathHash();
	pathx::Coverage root_cov = pathx::RootCoverage(*opts);

	for (int i = 0; i < nkeys; i++)
	{
		text	   *t;
		char	   *s;
		int			len;
		pathx::LeafRequest *r;
		uint8_t		key[pathx::kMaxKeyBytes];
		size_t		klen;
		uint8_t    *copy;
		StringInfoData path;
		size_t		n;

		/* NULL array elements never match, as in jsonb_exists_any/all */
		if (nulls && nulls[i])
			continue;
		t = DatumGetTextPP(keys[i]);
		s = VARDATA_ANY(t);
		len = VARSIZE_ANY_EXHDR(t);

		initStringInfo(&path);
		appendStringInfoChar(&path, '$');
		{
			/* shown in UTF-8 (explain text); hashed below as stored */
			int			shown_len;
			const char *shown = px_text_to_utf8(s, len, &shown_len);

			n = pathx::FormatPathStep(shown, (size_t) shown_len, NULL, 0);
			enlargeStringInfo(&path, (int) n);
			pathx::FormatPathStep(shown, (size_t) shown_len, path.data + path.len, n);
		}
		path.len += (int) n;
		path.data[path.len] = '\0';

		/*
		 * doc ? 'k' holds when k is a top-level member (anything under path
		 * $.k) or a top-level string element / the scalar string itself
		 * (the string "k" at path $).
		 */
		r = leaf_add(&buf);
		r->kind = pathx::LeafKind::kPathAny;
		r->group = (uint32_t) group;
		r->path_hash = pathx::PathStepHash(root, s, (size_t) len);
		r->path_text = path.data;
		r->path_text_len = (uint32_t) path.len;
		r->covered = pathx::IsCovered(*opts, pathx::StepCoverage(*opts, root_cov, r->path_hash));

		klen = px_string_value_key(root, s, len, opts->string_prefix, key);
		copy = (uint8_t *) palloc(klen);
		memcpy(copy, key, klen);
		r = leaf_add(&buf);
		r->kind = pathx::LeafKind::kExact;
		r->group = (uint32_t) group;
		r->key = copy;
		r->key_len = (uint32_t) klen;
		r->path_text = "$";
		r->path_text_len = 1;
		r->covered = pathx::IsCovered(*opts, root_cov);

		if (all)
			group++;
	}

	/* ?| : one group holding every alternative; ?& : one group per key */
	if (!all)
		return finish_cnf(&buf, buf.count > 0 ? 1 : 0, false);
	return finish_cnf(&buf, group, true);
}
