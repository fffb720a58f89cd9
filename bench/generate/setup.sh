#!/bin/sh
# Installs what bench/generate compares against: Hygen (npm, dev dependency) and rdflib + Jinja2 (Debian packages,
# used with the Debian python at /usr/bin/python3).
set -e
cd "$(dirname "$0")/../.."
flock /tmp/ggen-npm.lock npm install --save-dev --save-exact hygen@6.2.11
apt-get update
apt-get install -y python3-rdflib python3-jinja2
