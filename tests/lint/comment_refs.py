#!/usr/bin/env python3
"""comment_refs.py: names that comments cite must exist.

File header essays and comments in the C++ sources cite files
(pathx_query.cpp), functions and macros (px_walk_document, MakeKey,
PX_STRATEGY_CONTAINS).  A comment that names something the code no longer
has tells a newcomer to look for it.  This check collects, from the
comments of every C++ source and header of the project:

  - file names ending in .cpp .h .sh .sql .py: some tracked file must have
    that name (or path suffix);
  - identifiers that look like ours (px_*, PX_*, pathx::*, CamelCase with
    an inner capital, snake_case followed by "()"): the name must occur in
    code outside comments, in the project or in PostgreSQL's server
    headers (for the PostgreSQL functions and macros comments explain).

Usage: tests/lint/comment_refs.py [ROOT]  (prints each dangling name with
file:line, then "PASS comment_refs" or "FAIL ..." and "N passed, N failed";
exit status 1 if there is any).
"""
import os
import re
import subprocess
import sys

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), '..', '..'))
files = subprocess.run(['git', '-C', root, 'ls-files'], capture_output=True, text=True,
                       check=True).stdout.split()
sources = [f for f in files if f.endswith(('.cpp', '.h'))]

COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
STRING = re.compile(r'"(?:\\.|[^"\\\n])*"')


def split(text):
    """(code without comments, list of (offset, comment))"""
    comments = []
    code = []
    pos = 0
    # strings may hold "/*": blank them before looking for comments
    masked = STRING.sub(lambda m: '"' + ' ' * (len(m.group(0)) - 2) + '"', text)
    for m in COMMENT.finditer(masked):
        code.append(text[pos:m.start()])
        comments.append((m.start(), text[m.start():m.end()]))
        pos = m.end()
    code.append(text[pos:])
    return ''.join(code), comments


code_words = set()
comment_refs = []
for f in sources:
    with open(os.path.join(root, f), encoding='utf-8', errors='replace') as fh:
        text = fh.read()
    code, comments = split(text)
    code_words.update(re.findall(r'[A-Za-z_][A-Za-z0-9_]*', code))
    for off, c in comments:
        comment_refs.append((f, text.count('\n', 0, off) + 1, c))

pg_words = set()
pg_inc = subprocess.run(['pg_config', '--includedir-server'], capture_output=True,
                        text=True).stdout.strip()
if pg_inc and os.path.isdir(pg_inc):
    for d, _, names in os.walk(pg_inc):
        for n in names:
            if n.endswith('.h'):
                with open(os.path.join(d, n), encoding='utf-8', errors='replace') as fh:
                    pg_words.update(re.findall(r'[A-Za-z_][A-Za-z0-9_]*', fh.read()))

tracked_names = set(files) | {os.path.basename(f) for f in files}
FILE_REF = re.compile(r'\b([\w./-]+\.(?:cpp|h|sh|sql|py))\b')
OURS = re.compile(r'\b(px_[a-z0-9_]+|PX_[A-Z0-9_]+|pathx::[A-Za-z_][A-Za-z0-9_]*)\b')
CALL = re.compile(r'\b([a-z][a-z0-9]*_[a-z0-9_]+)\(\)')
CAMEL = re.compile(r'\b([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)\b')
# words of prose, and names of things outside this code base
PROSE = {'PostgreSQL', 'JsonPath', 'CamelCase', 'GitHub', 'LibFuzzer', 'AddressSanitizer',
         'UndefinedBehaviorSanitizer', 'ThreadSanitizer', 'JavaScript', 'TypeScript',
         'PostGIS', 'OpenSSL', 'BitmapAnd', 'BitmapOr', 'QueryId', 'CoerceViaIO'}

bad = []
for f, line, c in comment_refs:
    for m in FILE_REF.finditer(c):
        ref = m.group(1).lstrip('./')
        # a placeholder (sql/NAME.sql, tests/cli/X_test.cpp)
        if re.search(r'(^|/)[A-Z]+(_\w+)?\.\w+$', ref):
            continue
        # PostgreSQL's own sources and headers are cited for understanding
        if ref in tracked_names or any(x.endswith('/' + ref) for x in files):
            continue
        if os.path.exists(os.path.join(pg_inc, ref)) or ref.startswith(('src/', 'utils/', 'access/',
                                                                          'optimizer/', 'nodes/',
                                                                          'catalog/', 'executor/')):
            continue
        bad.append((f, line, ref, 'no such file'))
    names = set(m.group(1) for m in OURS.finditer(c))
    names |= set(m.group(1) for m in CALL.finditer(c))
    names |= set(m.group(1) for m in CAMEL.finditer(c)) - PROSE
    for n in sorted(names):
        bare = n.split('::')[-1]
        if bare in code_words or bare in pg_words:
            continue
        # a plural of a name (AstNodes)
        if bare.endswith('s') and (bare[:-1] in code_words or bare[:-1] in pg_words):
            continue
        # a family cited by its prefix (px_build_*, PX_STRATEGY_*)
        if bare.endswith('_') and any(w.startswith(bare) for w in code_words | pg_words):
            continue
        bad.append((f, line, n, 'not in the code'))

for f, line, n, why in bad:
    print(f'{f}:{line}: {n}: {why}')
print(f'comment_refs: {len(comment_refs)} comments in {len(sources)} files, {len(bad)} dangling names')
# the test runner's convention: a PASS/FAIL line and the closing count
print('FAIL comment_refs: dangling names above' if bad else 'PASS comment_refs')
print(f'{0 if bad else 1} passed, {1 if bad else 0} failed')
sys.exit(1 if bad else 0)
