#!/usr/bin/env bash
# Regenerates the golden template corpora with the real Tera 1.20.1: writes the generated cases (corpus/) and the
# Tera-upstream cases (tera-upstream/cases/, from Tera's own tests), builds the oracle (Debian's Rust crates,
# shared/tera-oracle plus our template-directory patch) and renders every case.
# The test suite never needs this: it reads the committed .expected/.error files.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="${TERA_ORACLE_SRC:-$root/../shared/tera-oracle}"
work="$root/.tera-oracle/src"
target="${TERA_ORACLE_TARGET:-/tmp/tera-oracle-120-partials-target}"
corpus="$root/test/template/corpus"
upstream="$root/test/template/tera-upstream/cases"

node "$root/test/template/corpus-src/make-cases.mjs"
# records.jsonl is committed; test/template/corpus-src/tera-dump/tera-dump.sh re-records it from Tera's tests.
node "$root/test/template/corpus-src/make-upstream-cases.mjs"

# Build from a patched copy: the patch registers the `_partials/` next to a case (else DIR/_partials) as Tera's
# template directory, so include/import/extends cases resolve the same partials in the oracle and in our engine.
rm -rf "$work" && mkdir -p "$work"
cp -r "$src"/. "$work"/
patch -s -d "$work" -p1 < "$root/test/template/corpus-src/oracle-partials.patch"
bin="$(TERA_ORACLE_TARGET="$target" bash "$work/build.sh" | tail -n 1)"
test -x "$bin" || { echo "tera-oracle build failed" >&2; exit 1; }

# get_env cases rely on this variable being absent.
"$bin" --version | head -n 1
env -u GGEN_CORPUS_SURELY_UNSET "$bin" batch "$corpus"
echo "corpus: $(ls "$corpus"/*.tera | wc -l) cases, $(ls "$corpus"/*.expected 2>/dev/null | wc -l) rendered, $(ls "$corpus"/*.error 2>/dev/null | wc -l) refused"
env -u GGEN_CORPUS_SURELY_UNSET "$bin" batch "$upstream"
echo "tera-upstream: $(find "$upstream" -name '*.tera' -not -path '*/_partials/*' | wc -l) cases"
