"""blog_test.py: JSON queries written with Django's own query API must be
planned as Bitmap Index Scans on the jsonb_pathx_ops index of posts.meta, and
return the rows a seq scan of the same SQL returns.

Run by tests/clients/run.sh with Debian's /usr/bin/python3 (python3-django,
python3-psycopg2), which creates the database (env PGHOST, PGPORT, PGUSER;
database PX_CLIENTS_DB, default px_clients) and loads
tests/clients/blog_schema.sql.  The settings are configured here; the models
are in blog/models.py.  For each query: the exact SQL and parameters Django
hands to psycopg2 are captured (connection.execute_wrapper); the same SQL and
parameters are then run through the same connection as EXPLAIN (FORMAT JSON)
and, with enable_bitmapscan and enable_indexscan off, as a seq scan.  Prints
"PASS django: NAME" or "FAIL django: NAME: REASON" (with the SQL) per check.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    INSTALLED_APPS=["blog"],
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PX_CLIENTS_DB", "px_clients"),
            "USER": os.environ.get("PGUSER", "postgres"),
            "HOST": os.environ.get("PGHOST", ""),
            "PORT": os.environ.get("PGPORT", ""),
        }
    },
    USE_TZ=True,
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import FloatField, IntegerField, Q  # noqa: E402
from django.db.models.fields.json import KeyTextTransform, KeyTransform  # noqa: E402
from django.db.models.functions import Cast  # noqa: E402

from blog.models import Post, PostPlain  # noqa: E402

INDEX = "posts_meta_pathx"

# (name, queryset, want, expected row count); want is
#   "index"  a Bitmap Index Scan on posts_meta_pathx
#   "seq"    a seq scan, no index at all
#   "gap"    a form Django writes that jsonb_pathx does not index yet: the
#            rows must still be right; the plan is reported on a "GAP" line and
#            not counted (PX_CLIENTS_STRICT=1 counts it as a failure).  Once
#            it plans as an index scan, a NOTE asks to make it "index".
CHECKS = [
    ("meta__status='spam' (-> = jsonb)", Post.objects.filter(meta__status="spam"), "index", 29),
    ("meta__slug= one post", Post.objects.filter(meta__slug="post-12345"), "index", 1),
    ("meta__views__gt=99900 (jsonb >)", Post.objects.filter(meta__views__gt=99900), "index", 29),
    ("meta__rating__gte=4.99 (decimals)", Post.objects.filter(meta__rating__gte=4.99), "index", 60),
    ("meta__views__range=(50000, 50030) (BETWEEN)",
     Post.objects.filter(meta__views__range=(50000, 50030)), "index", 9),
    ("meta__views__in=[7919, 15838]", Post.objects.filter(meta__views__in=[7919, 15838]), "index", 2),
    ("meta__author__email__startswith='zed' (#>> LIKE)",
     Post.objects.filter(meta__author__email__startswith="zed"), "index", 20),
    ("meta__status__in=['spam', 'held']", Post.objects.filter(meta__status__in=["spam", "held"]), "index", 29),
    ("meta__has_key='coupon' (?)", Post.objects.filter(meta__has_key="coupon"), "index", 75),
    ("meta__has_keys=['coupon', 'lang'] (?&)",
     Post.objects.filter(meta__has_keys=["coupon", "lang"]), "index", 75),
    ("meta__has_any_keys=['coupon', 'promo'] (?|)",
     Post.objects.filter(meta__has_any_keys=["coupon", "promo"]), "index", 75),
    ("meta__contains={'lang': 'is'} (@>)", Post.objects.filter(meta__contains={"lang": "is"}), "index", 15),
    ("meta__tags__contains=['rare-tag'] (-> @>)",
     Post.objects.filter(meta__tags__contains=["rare-tag"]), "index", 14),
    ("meta__coupon__code__isnull=False (#> IS NOT NULL)",
     Post.objects.filter(meta__coupon__code__isnull=False), "index", 75),
    ("meta__flags__featured=True (#> = jsonb)", Post.objects.filter(meta__flags__featured=True), "index", 60),
    ("Cast(KeyTextTransform('views'), IntegerField()) > 99900",
     Post.objects.annotate(v=Cast(KeyTextTransform("views", "meta"), IntegerField())).filter(v__gt=99900),
     "index", 29),
    ("Cast(KeyTransform('rating'), FloatField()) >= 4.99",
     Post.objects.annotate(r=Cast(KeyTransform("rating", "meta"), FloatField())).filter(r__gte=4.99),
     "index", 60),
    ("Q(meta__status='spam') | Q(meta__lang='is') (OR)",
     Post.objects.filter(Q(meta__status="spam") | Q(meta__lang="is")), "index", 44),
    ("meta__status='published' and email startswith 'zed' (one selective part)",
     Post.objects.filter(meta__status="published", meta__author__email__startswith="zed"), "index", 20),
    ("not selective: meta__views__gt=100 stays a seq scan",
     Post.objects.filter(meta__views__gt=100), "seq", 29970),
    ("not selective: meta__status='published' stays a seq scan",
     Post.objects.filter(meta__status="published"), "seq", 25475),
    ("no index: PostPlain meta__status='spam' stays a seq scan",
     PostPlain.objects.filter(meta__status="spam"), "seq", 29),
]


def plan_nodes(node, out=None):
    out = [] if out is None else out
    out.append(node)
    for child in node.get("Plans", []):
        plan_nodes(child, out)
    return out


def describe(nodes):
    parts = []
    for n in nodes:
        on = n.get("Index Name") or n.get("Relation Name")
        parts.append(n["Node Type"] + (" on " + on if on else ""))
    return " > ".join(parts)


def explain(cursor, sql, params):
    cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
    doc = cursor.fetchone()[0]
    if isinstance(doc, str):
        doc = json.loads(doc)
    return plan_nodes(doc[0]["Plan"])


def row_key(id_, title, meta):
    if isinstance(meta, str):
        meta = json.loads(meta)
    return (id_, title, json.dumps(meta, sort_keys=True))


class Failure(Exception):
    pass


def run_check(queryset, want, expected):
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        found = list(queryset)
    statements = [(s, p) for s, p in captured if 'FROM "posts' in s]
    if len(statements) != 1:
        raise Failure("expected one SELECT on posts, captured %d" % len(statements), captured)
    sql, params = statements[0]
    stmt = (sql, params)

    strict = os.environ.get("PX_CLIENTS_STRICT") == "1"
    with connection.cursor() as cursor:
        nodes = explain(cursor, sql, params)
        plan = describe(nodes)
        uses_index = any(n["Node Type"] == "Bitmap Index Scan" and n.get("Index Name") == INDEX for n in nodes)
        any_index = any("Index Name" in n for n in nodes)
        seq_scan = any(n["Node Type"] == "Seq Scan" for n in nodes)

        cursor.execute("SET enable_bitmapscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            if any("Index Name" in n for n in explain(cursor, sql, params)):
                raise Failure("the reference run still uses an index", stmt)
            cursor.execute(sql, params)
            seq_rows = sorted(row_key(*r[:3]) for r in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_bitmapscan")
            cursor.execute("RESET enable_indexscan")

    if (want == "index" or (want == "gap" and strict)) and not uses_index:
        raise Failure("not a Bitmap Index Scan on %s; plan: %s" % (INDEX, plan), stmt)
    if want == "seq" and (any_index or not seq_scan):
        raise Failure("expected a seq scan; plan: %s" % plan, stmt)
    orm_rows = sorted(row_key(p.id, p.title, p.meta) for p in found)
    if orm_rows != seq_rows:
        raise Failure("the ORM returned %d rows, the seq scan %d (or other rows)" % (len(orm_rows), len(seq_rows)), stmt)
    if len(orm_rows) != expected:
        raise Failure("%d rows, expected %d" % (len(orm_rows), expected), stmt)
    gap = (not uses_index) if want == "gap" else None
    return stmt, plan, len(orm_rows), gap


def main():
    passed = failed = 0
    only = os.environ.get("PX_CLIENTS_ONLY")
    for name, queryset, want, expected in CHECKS:
        if only and only not in name:
            continue
        try:
            (sql, params), plan, rows, gap = run_check(queryset, want, expected)
        except Failure as e:
            failed += 1
            print("FAIL django: %s: %s" % (name, e.args[0]))
            if len(e.args) > 1:
                print("    SQL: %r" % (e.args[1],))
            continue
        except Exception as e:  # a database error is a failed check, not the end of the run
            failed += 1
            print("FAIL django: %s: error: %s" % (name, str(e).strip()))
            connection.close()
            continue
        passed += 1
        print("PASS django: %s%s" % (name, " (right rows)" if want == "gap" else ""))
        if gap is True:
            print("GAP django: %s: not indexed yet; plan: %s" % (name, plan))
        elif gap is False:
            print("NOTE django: %s: now a Bitmap Index Scan on %s: make it an 'index' check" % (name, INDEX))
        print("    %s  -- %r" % (sql, params))
        print("    %d rows; %s" % (rows, plan))
    print("django: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # setup: no database, no Django
        print("FAIL django: setup: %s" % e)
        print("django: 0 passed, 1 failed")
        sys.exit(1)
