#!/usr/bin/env bash
# Debian packages the optional test tiers use, installed where they are missing and we may:
#   chromium              the browser tier (tests/browser) drives a real JupyterLab in it
#   postgresql-15-hypopg  hypothetical indexes for the PostgreSQL 15 tier (what-if costing)
# Nothing here is required: a tier whose package cannot be installed is skipped, with a message.
set -u
wanted=()
command -v chromium >/dev/null 2>&1 || wanted+=(chromium)
if [ -x /usr/lib/postgresql/15/bin/postgres ] && [ ! -f /usr/share/postgresql/15/extension/hypopg.control ]; then
  wanted+=(postgresql-15-hypopg)
fi
[ ${#wanted[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: not installing ${wanted[*]} (needs root and apt-get); the tiers using them will be skipped" >&2
  exit 0
fi
echo "installing system packages: ${wanted[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${wanted[@]}"; } >/dev/null 2>&1 \
  || echo "note: could not install ${wanted[*]}; the tiers using them will be skipped" >&2
exit 0
