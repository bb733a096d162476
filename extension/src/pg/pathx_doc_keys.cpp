/*-------------------------------------------------------------------------
 *
 * pathx_doc_keys.cpp
 *	  Walk a jsonb document and produce its jsonb_pathx_ops keys.
 *
 * One walker serves three callers: the GIN extractValue function (every
 * indexed row), containment queries (the @> operand is a document too) and
 * jsonb_pathx_keys() (the same keys, with readable paths).  Sharing it is
 * what guarantees that a query key and the key of a matching row are built
 * the same way.
 *
 * The walk keeps a stack with the path hash of each open container.  Array
 * steps do not change the path: elements inherit their array's path.  An
 * object member's path is its parent's path plus the member name.  A member
 * whose value is an object or array also gets a container key (see
 * key_encoding.h) so that an empty container, or a member with nothing
 * scalar below it, can still be found.
 *
 * Index options shape the walk: keys at paths the options leave out are
 * skipped on the index side and reported as not covered on the query side,
 * and with anypath every scalar also gets a key under the ANY path and
 * every member its keys under LAST(member name) (core/index_options.h).
 *
 * Plain C-style code only: JsonbIteratorNext() and palloc() may ereport, so
 * no C++ object with a destructor may live here.  The core functions called
 * are noexcept and work on stack buffers.
 *
 * extension/src/pg/pathx_doc_keys.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "pg/pg_glue.h"

typedef struct WalkLevel
{
	uint32_t	hash;			/* path of this container */
	pathx::Coverage cov;		/* of that path */
	bool		has_last;		/* anypath: the member holding this container */
	uint32_t	last_hash;		/* LAST(that member's name) */
	bool		is_object;
	bool		is_member;		/* the value of an object member */
	int			text_len;		/* length of its path text */
	uint64		emitted_at_begin;
} WalkLevel;

typedef struct Walker
{
	PxContainerKeys mode;
	const pathx::IndexOptions *opts;
	bool		want_text;
	PxKeyCallback cb;
	void	   *arg;
	StringInfoData text;
	uint64		emitted;
} Walker;

static void
emit_key(Walker *w, const uint8_t *key, size_t len, bool covered)
{
	/* the index side stores only what the options cover */
	if (!covered && w->mode == PX_CONTAINER_KEYS_ALL)
		return;
	w->emitted++;
	w->cb(w->arg, key, len, w->want_text ? w->text.data : NULL, covered);
}

/*
 * anypath: the same value again under ANY and, for members, under
 * LAST(member name).  Index side only; queries build these themselves.
 */
static void
emit_anypath_keys(Walker *w, const uint8_t *key, size_t len, bool has_last, uint32_t last_hash)
{
	uint8_t		copy[pathx::kMaxKeyBytes];
	uint8_t		tag = pathx::KeyTagBits(key, len);

	if (!w->opts->anypath || w->mode != PX_CONTAINER_KEYS_ALL)
		return;
	memcpy(copy, key, len);
	if (tag != static_cast<uint8_t>(pathx::KeyTag::kContainer))
	{
		pathx::SetKeyHeader(pathx::AnyPathHash(), tag, copy);
		emit_key(w, copy, len, true);
	}
	if (has_last)
	{
		pathx::SetKeyHeader(last_hash, tag, copy);
		emit_key(w, copy, len, true);
	}
}

/* Set the path text to 'base_len' bytes of the parent plus one member. */
static void
set_member_text(Walker *w, int base_len, const char *name, int len)
{
	size_t		n;

	w->text.len = base_len;
	n = pathx::FormatPathStep(name, (size_t) len, NULL, 0);
	enlargeStringInfo(&w->text, (int) n);
	pathx::FormatPathStep(name, (size_t) len, w->text.data + w->text.len, n);
	w->text.len += (int) n;
	w->text.data[w->text.len] = '\0';
}

static void
set_text_len(Walker *w, int len)
{
	if (!w->want_text)
		return;
	w->text.len = len;
	w->text.data[len] = '\0';
}

const char *
px_text_to_utf8(const char *s, int len, int *utf8_len)
{
	const char *utf8 = s;

	/*
	 * SQL_ASCII declares no encoding: its bytes are taken as they are, as
	 * PostgreSQL's own conversions do.  pg_server_to_any returns its input
	 * when no conversion is needed.
	 */
	*utf8_len = len;
	if (GetDatabaseEncoding() != PG_UTF8 && GetDatabaseEncoding() != PG_SQL_ASCII)
	{
		utf8 = pg_server_to_any(s, len, PG_UTF8);
		if (utf8 != s)
			*utf8_len = (int) strlen(utf8);
	}
	return utf8;
}

Datum
px_utf8_to_text_datum(const char *utf8)
{
	/*
	 * Explain text and key descriptions are made by the core in UTF-8;
	 * PostgreSQL must get them in the database's encoding.  Everything in
	 * them came from the database, so every character converts back.
	 */
	char	   *server = pg_any_to_server(utf8, (int) strlen(utf8), PG_UTF8);

	return PointerGetDatum(cstring_to_text(server));
}

size_t
px_string_value_key(uint32_t path_hash, const char *s, int len, size_t prefix, uint8_t *out)
{
	uint8_t		value[pathx::kMaxValueBytes];
	int			utf8_len;
	const char *utf8;
	size_t		vlen;

	/*
	 * jsonpath compares strings by code point, i.e. as UTF-8 bytes.  In a
	 * database with another encoding, convert first so that key order is
	 * jsonpath's order.
	 */
	utf8 = px_text_to_utf8(s, len, &utf8_len);
	vlen = pathx::EncodeString(utf8, (size_t) utf8_len, prefix, value);
	if (utf8 != s)
		pfree((void *) utf8);
	return pathx::MakeKey(path_hash, pathx::KeyTag::kString, value, vlen, out);
}

/* Build the key of one scalar at 'path_hash'. */
static size_t
scalar_key(uint32_t path_hash, JsonbValue *v, size_t prefix, uint8_t *out)
{
	uint8_t		value[pathx::kMaxValueBytes];

	switch (v->type)
	{
		case jbvNull:
			return pathx::MakeKey(path_hash, pathx::KeyTag::kNull, NULL, 0, out);
		case jbvBool:
			value[0] = v->val.boolean ? 1 : 0;
			return pathx::MakeKey(path_hash, pathx::KeyTag::kBool, value, 1, out);
		case jbvNumeric:
			{
				char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out,
																	   NumericGetDatum(v->val.numeric)));
				size_t		vlen = pathx::EncodeNumber(text, strlen(text), value);

				pfree(text);
				return pathx::MakeKey(path_hash, pathx::KeyTag::kNumber, value, vlen, out);
			}
		case jbvString:
			return px_string_value_key(path_hash, v->val.string.val, v->val.string.len, prefix,
									   out);
		default:
			elog(ERROR, "unexpected jsonb value type: %d", (int) v->type);
	}
	return 0;					/* keep compiler quiet */
}

void
px_walk_document(JsonbContainer *root, PxContainerKeys mode, const pathx::IndexOptions *opts,
				 bool want_path_text, PxKeyCallback cb, void *arg)
{
	Walker		w;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken r;
	WalkLevel  *stack;
	int			depth = 0;
	int			cap = 16;
	uint32_t	member_hash = 0;
	pathx::Coverage member_cov = {false, false};
	uint32_t	member_last = 0;
	uint8_t		key[pathx::kMaxKeyBytes];
	size_t		klen;
	size_t		prefix = opts->string_prefix;

	w.mode = mode;
	w.opts = opts;
	w.want_text = want_path_text;
	w.cb = cb;
	w.arg = arg;
	w.emitted = 0;
	if (want_path_text)
	{
		initStringInfo(&w.text);
		appendStringInfoChar(&w.text, '$');
	}

	stack = (WalkLevel *) palloc(sizeof(WalkLevel) * cap);
	it = JsonbIteratorInit(root);

	while ((r = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		switch (r)
		{
			case WJB_BEGIN_ARRAY:
			case WJB_BEGIN_OBJECT:
				{
					WalkLevel	level;

					CHECK_FOR_INTERRUPTS();
					level.is_object = (r == WJB_BEGIN_OBJECT);
					level.is_member = depth > 0 && stack[depth - 1].is_object;
					if (depth == 0)
					{
						level.hash = pathx::RootPathHash();
						level.cov = pathx::RootCoverage(*opts);
						level.has_last = false;
						level.last_hash = 0;
						set_text_len(&w, 1);
					}
					else if (level.is_member)
					{
						level.hash = member_hash;
						level.cov = member_cov;
						level.has_last = true;
						level.last_hash = member_last;
						/* path text was set to the member by WJB_KEY */
						if (mode == PX_CONTAINER_KEYS_ALL)
						{
							klen = pathx::MakeKey(member_hash, pathx::KeyTag::kContainer,
												  NULL, 0, key);
							emit_key(&w, key, klen, pathx::IsCovered(*opts, member_cov));
							emit_anypath_keys(&w, key, klen, true, member_last);
						}
					}
					else
					{
						level.hash = stack[depth - 1].hash;
						level.cov = stack[depth - 1].cov;
						level.has_last = stack[depth - 1].has_last;
						level.last_hash = stack[depth - 1].last_hash;
						set_text_len(&w, stack[depth - 1].text_len);
					}
					level.text_len = want_path_text ? w.text.len : 0;
					level.emitted_at_begin = w.emitted;

					if (depth == cap)
					{
						cap *= 2;
						stack = (WalkLevel *) repalloc(stack, sizeof(WalkLevel) * cap);
					}
					stack[depth++] = level;
					break;
				}
			case WJB_KEY:
				member_hash = pathx::PathStepHash(stack[depth - 1].hash, v.val.string.val,
												  (size_t) v.val.string.len);
				member_cov = pathx::StepCoverage(*opts, stack[depth - 1].cov, member_hash);
				if (opts->anypath)
					member_last = pathx::LastNameHash(v.val.string.val,
													  (size_t) v.val.string.len);
				if (want_path_text)
					set_member_text(&w, stack[depth - 1].text_len, v.val.string.val,
									v.val.string.len);
				break;
			case WJB_VALUE:
				klen = scalar_key(member_hash, &v, prefix, key);
				emit_key(&w, key, klen, pathx::IsCovered(*opts, member_cov));
				emit_anypath_keys(&w, key, klen, true, member_last);
				break;
			case WJB_ELEM:
				set_text_len(&w, stack[depth - 1].text_len);
				klen = scalar_key(stack[depth - 1].hash, &v, prefix, key);
				emit_key(&w, key, klen, pathx::IsCovered(*opts, stack[depth - 1].cov));
				emit_anypath_keys(&w, key, klen, stack[depth - 1].has_last,
								  stack[depth - 1].last_hash);
				break;
			case WJB_END_ARRAY:
			case WJB_END_OBJECT:
				{
					WalkLevel	level = stack[--depth];

					/*
					 * On the query side a container only needs its own key
					 * when nothing below it produced one: {"a": {}} or
					 * {"a": []}.  Otherwise the keys below already imply it.
					 */
					if (mode == PX_CONTAINER_KEYS_EMPTY && level.is_member &&
						w.emitted == level.emitted_at_begin)
					{
						set_text_len(&w, level.text_len);
						klen = pathx::MakeKey(level.hash, pathx::KeyTag::kContainer, NULL, 0, key);
						emit_key(&w, key, klen, pathx::IsCovered(*opts, level.cov));
					}
					break;
				}
			default:
				elog(ERROR, "unexpected jsonb iterator token: %d", (int) r);
		}
	}
	pfree(stack);
	if (want_path_text)
		pfree(w.text.data);
}
