#!/usr/bin/env bash
# Installs the real servers and tools the tests start as plain processes (never as system services):
# Virtuoso (SPARQL endpoint tests), PostgreSQL and Redis (cleanroom services), bubblewrap and util-linux
# (the cleanroom network modes are checked against `bwrap --unshare-net` and `unshare --net`),
# perl (the cleanroom launcher; perl-base is essential on Debian), GNU time (usage is checked against it),
# zsh and fish (shell completion), and the compilers generated code is checked with.
# Idempotent; run by .ci/run before the tests. A package that cannot be installed fails the tests that need it.
set -uo pipefail
need=()
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v script >/dev/null 2>&1 || need+=(bsdutils)
command -v perl >/dev/null 2>&1 || need+=(perl-base)
[ -x /usr/bin/time ] || need+=(time)
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
# Compilers the generated identifiers are proven with (test/template/ident-schema-org.test.ts).
command -v go >/dev/null 2>&1 || need+=(golang-go)
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v rustc >/dev/null 2>&1 || need+=(rustc)
command -v python3 >/dev/null 2>&1 || need+=(python3)
# Shell completion is tested in real zsh and fish (bash is always there).
command -v zsh >/dev/null 2>&1 || need+=(zsh)
command -v fish >/dev/null 2>&1 || need+=(fish)
if [ ${#need[@]} -gt 0 ]; then
  echo "ci-setup: installing ${need[*]}"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  # Services must not start at install time: the tests start their own instances.
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null; $sudo chmod +x /usr/sbin/policy-rc.d; fi
  $sudo apt-get update -q >/dev/null 2>&1 || true
  $sudo apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 || echo "ci-setup: could not install ${need[*]} (the tests that need them will fail and say so)" >&2
fi
exit 0
