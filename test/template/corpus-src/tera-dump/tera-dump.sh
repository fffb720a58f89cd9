#!/usr/bin/env bash
# Records what Tera 1.20.1's own unit tests render: every template set, context and builtin filter/tester/function
# call, as JSON lines (test/template/tera-upstream/records.jsonl). make-upstream-cases.mjs turns them into oracle cases.
# Works on a copy of the oracle's vendored Tera (shared/tera-oracle/vendor/tera, the v1.20.1 tag) with
# instrument.patch applied; builds offline from Debian's crates like the oracle (plus librust-tempfile-dev, a
# dev-dependency of Tera's tests). Needs the oracle built once (bash ../shared/tera-oracle/build.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
src="${TERA_ORACLE_SRC:-$root/../shared/tera-oracle}"
work="${TERA_DUMP_WORK:-/tmp/tera-dump}"
dpkg -s librust-tempfile-dev >/dev/null 2>&1 || { apt-get update -qq >/dev/null; apt-get install -y -qq librust-tempfile-dev >/dev/null; }
rm -rf "$work/tera" "$work/out" && mkdir -p "$work/registry" "$work/cargo-home" "$work/out"
for d in /usr/share/cargo/registry/*/ "$src"/vendor/debian-trixie/*/; do ln -sfn "${d%/}" "$work/registry/$(basename "$d")"; done
printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "%s"\n[net]\noffline = true\n' "$work/registry" > "$work/cargo-home/config.toml"
cp -r "$src/vendor/tera" "$work/tera"
patch -s -d "$work/tera" -p1 < "$here/instrument.patch"
bin="$(CARGO_HOME="$work/cargo-home" cargo test --lib --no-run --message-format=json --manifest-path "$work/tera/Cargo.toml" --target-dir "$work/target" 2>/dev/null \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const l of s.split("\n")){try{const m=JSON.parse(l);if(m.executable&&m.target.name==="tera")console.log(m.executable)}catch{}}})')"
# A handful of Tera's tests need files outside src/ (globs over examples/); they fail here and record nothing.
TERA_DUMP="$work/out" "$bin" -q >/dev/null 2>&1 || true
# Tests run in parallel: order the records by test (stable, so each test keeps its own order).
node -e 'const fs=require("fs");const ls=fs.readFileSync(process.argv[1],"utf8").trim().split("\n");
const t=(l)=>JSON.parse(l).test;ls.sort((a,b)=>t(a)<t(b)?-1:t(a)>t(b)?1:0);fs.writeFileSync(process.argv[2],ls.join("\n")+"\n")' \
  "$work/out/records.jsonl" "$root/test/template/tera-upstream/records.jsonl"
echo "records: $(wc -l < "$root/test/template/tera-upstream/records.jsonl")"
