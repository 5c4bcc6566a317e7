#!/usr/bin/env bash
# Debian packages a container job needs before Node and the toolchain (the setup action's first
# step, before `npm ci`, so it cannot be an npm script). Usage: apt-install.sh "pkg pkg …"
set -euo pipefail
read -ra packages <<<"${1:?usage: apt-install.sh \"package package …\"}"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
