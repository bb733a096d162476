#!/usr/bin/python3
#
# meta_test.py: META.json is a valid PGXN Meta Spec 1.0.0 document at the
# extension's version, debian/changelog is at that version too, and
# `make dist` builds the archive PGXN takes.
#
# One source of truth for the version: default_version in
# extension/jsonb_pathx.control.  debian/changelog must equal it (0.4);
# PGXN needs a Semantic Version, so META.json's version and
# provides.jsonb_pathx.version must be it padded to three parts (0.4.0).
# A bump that forgets one of them fails here, and so `make test`.
#
# `make dist` must produce dist/jsonb_pathx-<version>.zip, every entry under
# jsonb_pathx-<version>/, holding META.json, the control file and Makefile,
# and exactly the files git tracks at HEAD (nothing untracked or ignored).
#
#   tests/package/meta_test.py          all checks (runs make dist)
#   tests/package/meta_test.py --no-dist   the metadata checks only
# Prints "PASS NAME" / "FAIL NAME: REASON"; the last line is
# "N passed, N failed".
import json
import os
import re
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
results = {"passed": 0, "failed": 0}

# PGXN Meta Spec 1.0.0, "License": the strings it knows
PGXN_LICENSES = {
    "agpl_3", "apache_1_1", "apache_2_0", "artistic_1", "artistic_2", "bsd",
    "freebsd", "gfdl_1_2", "gfdl_1_3", "gpl_1", "gpl_2", "gpl_3", "lgpl_2_1",
    "lgpl_3_0", "mit", "mozilla_1_0", "mozilla_1_1", "openssl", "perl_5",
    "postgresql", "qpl_1_0", "ssleay", "sun", "zlib", "open_source",
    "restricted", "unrestricted", "unknown",
}
# Semantic Versioning 1.0.0, as the spec's "Version" requires
SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([a-zA-Z][0-9a-zA-Z-]*)?$")
# the spec's "Term": at least two characters, no slash, backslash, control
# characters or whitespace
TERM = re.compile(r"^[^/\\\s\x00-\x1f]{2,}$")


def check(name, ok, reason=""):
    if ok:
        print("PASS " + name)
        results["passed"] += 1
    else:
        print("FAIL %s: %s" % (name, reason))
        results["failed"] += 1
    return ok


def control_version():
    with open(os.path.join(ROOT, "extension/jsonb_pathx.control")) as f:
        m = re.search(r"^default_version\s*=\s*'([^']+)'", f.read(), re.M)
    return m.group(1) if m else None


def as_semver(v):
    parts = v.split(".")
    return ".".join(parts + ["0"] * (3 - len(parts))) if len(parts) < 3 else v


def changelog_version():
    out = subprocess.run(["dpkg-parsechangelog", "-l", os.path.join(ROOT, "debian/changelog"),
                          "-S", "Version"], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def check_meta():
    try:
        with open(os.path.join(ROOT, "META.json")) as f:
            meta = json.load(f)
    except (OSError, ValueError) as e:
        check("META.json parses", False, str(e))
        return
    check("META.json parses", isinstance(meta, dict), "not a JSON object")
    missing = [k for k in ("name", "abstract", "version", "maintainer", "license",
                           "provides", "meta-spec") if k not in meta]
    check("META.json has the spec's required fields", not missing, "missing %s" % missing)
    spec = meta.get("meta-spec", {})
    check("meta-spec version is 1.0.0", isinstance(spec, dict) and spec.get("version") == "1.0.0",
          "meta-spec is %r" % spec)
    check("name is a Term", isinstance(meta.get("name"), str) and bool(TERM.match(meta["name"])),
          "name %r" % meta.get("name"))
    check("name is jsonb_pathx", meta.get("name") == "jsonb_pathx", "name %r" % meta.get("name"))
    check("abstract is a non-empty string", isinstance(meta.get("abstract"), str) and meta["abstract"].strip() != "",
          "abstract %r" % meta.get("abstract"))
    maint = meta.get("maintainer")
    maint_list = maint if isinstance(maint, list) else [maint]
    check("maintainer is a string or a list of strings",
          bool(maint_list) and all(isinstance(m, str) and m.strip() for m in maint_list),
          "maintainer %r" % maint)
    lic = meta.get("license")
    lic_names = lic if isinstance(lic, list) else ([lic] if isinstance(lic, str) else [])
    check("license is a known PGXN license string",
          bool(lic_names) and all(n in PGXN_LICENSES for n in lic_names), "license %r" % lic)

    cv = control_version()
    check("control file has default_version", cv is not None, "no default_version in extension/jsonb_pathx.control")
    if cv is None:
        return
    want = as_semver(cv)
    v = meta.get("version")
    check("version is a Semantic Version", isinstance(v, str) and bool(SEMVER.match(v)), "version %r" % v)
    check("META.json version %s is default_version %s" % (v, cv), v == want,
          "expected %r (default_version %r as SemVer)" % (want, cv))

    prov = meta.get("provides", {}).get("jsonb_pathx") if isinstance(meta.get("provides"), dict) else None
    check("provides.jsonb_pathx exists", isinstance(prov, dict), "provides %r" % meta.get("provides"))
    if isinstance(prov, dict):
        pf = prov.get("file")
        check("provides.jsonb_pathx.file exists",
              isinstance(pf, str) and not os.path.isabs(pf) and ".." not in pf.split("/")
              and os.path.isfile(os.path.join(ROOT, pf)), "file %r" % pf)
        check("provides.jsonb_pathx.version is default_version", prov.get("version") == want,
              "expected %r, got %r" % (want, prov.get("version")))
        if "docfile" in prov:
            check("provides.jsonb_pathx.docfile exists", os.path.isfile(os.path.join(ROOT, prov["docfile"])),
                  "docfile %r" % prov["docfile"])

    req = meta.get("prereqs", {}).get("runtime", {}).get("requires", {}) if isinstance(meta.get("prereqs"), dict) else {}
    check("prereqs runtime requires PostgreSQL 15.0.0", req.get("PostgreSQL") == "15.0.0",
          "runtime requires %r" % req)
    res = meta.get("resources")
    ok = isinstance(res, dict) and bool(res) and set(res) <= {"homepage", "bugtracker", "repository"}
    bt = res.get("bugtracker", {}) if isinstance(res, dict) else {}
    ok = ok and (not bt or (isinstance(bt, dict) and (("web" in bt) or ("mailto" in bt and "@" in bt["mailto"]))))
    check("resources are the spec's keys (homepage, bugtracker, repository)", ok, "resources %r" % res)
    if "release_status" in meta:
        check("release_status is stable, testing or unstable",
              meta["release_status"] in ("stable", "testing", "unstable"), "release_status %r" % meta["release_status"])

    dv = changelog_version()
    check("debian/changelog version %s is default_version %s" % (dv, cv), dv == cv,
          "debian/changelog says %r" % dv)


def check_dist():
    try:
        with open(os.path.join(ROOT, "META.json")) as f:
            version = json.load(f)["version"]
    except (OSError, ValueError, KeyError) as e:
        check("make dist", False, "META.json has no version: %s" % e)
        return
    zpath = os.path.join(ROOT, "dist", "jsonb_pathx-%s.zip" % version)
    if os.path.exists(zpath):
        os.unlink(zpath)
    run = subprocess.run(["make", "-s", "-C", ROOT, "dist"], capture_output=True, text=True)
    if not check("make dist builds dist/jsonb_pathx-%s.zip" % version, run.returncode == 0 and os.path.isfile(zpath),
                 "exit %d: %s" % (run.returncode, (run.stderr or run.stdout)[-500:])):
        return
    prefix = "jsonb_pathx-%s/" % version
    with zipfile.ZipFile(zpath) as z:
        names = z.namelist()
        zmeta = json.loads(z.read(prefix + "META.json")) if prefix + "META.json" in names else None
    outside = [n for n in names if not n.startswith(prefix)]
    check("every entry is under %s" % prefix, not outside, "outside: %s" % outside[:5])
    files = {n[len(prefix):] for n in names if n.startswith(prefix) and not n.endswith("/")}
    need = ["META.json", "extension/jsonb_pathx.control", "Makefile"]
    check("the archive holds META.json, the control file and Makefile", all(n in files for n in need),
          "missing %s" % [n for n in need if n not in files])
    check("the archive's META.json is at version %s" % version, zmeta is not None and zmeta.get("version") == version,
          "archive META.json %r" % (zmeta or {}).get("version"))
    tracked = subprocess.run(["git", "-C", ROOT, "ls-tree", "-r", "--name-only", "-z", "HEAD"],
                             capture_output=True, text=True).stdout.split("\0")
    tracked = {t for t in tracked if t}
    extra = sorted(files - tracked)
    check("the archive holds no untracked or ignored file", not extra, "not tracked at HEAD: %s" % extra[:10])
    lacking = sorted(tracked - files)
    check("the archive holds every tracked file", not lacking, "missing: %s" % lacking[:10])


def main():
    check_meta()
    if "--no-dist" not in sys.argv[1:]:
        check_dist()
    print("%d passed, %d failed" % (results["passed"], results["failed"]))
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
