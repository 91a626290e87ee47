#!/usr/bin/env bash
# Debian packages the workbench uses, installed where they are missing and we may (root, apt-get):
#   graphviz              the system dot, which lays diagrams out with the fonts installed
#                         (without it the graphviz-pure wheel draws them)
#   chromium              the browser tier (tests/browser) drives a real JupyterLab in it
#   postgresql-15-hypopg  hypothetical indexes for the PostgreSQL 15 tier (what-if costing)
# Usage: scripts/system-packages.sh [test|lab]
#   test (default)  everything above, for make test
#   lab             graphviz only, for make lab
# Nothing here is required: what cannot be installed is left out, with a note, never an error.
set -u
purpose="${1:-test}"
case "$purpose" in
  test|lab) ;;
  *) echo "usage: $0 [test|lab]" >&2; exit 2 ;;
esac
wanted=()
command -v dot >/dev/null 2>&1 || wanted+=(graphviz)
if [ "$purpose" = test ]; then
  command -v chromium >/dev/null 2>&1 || wanted+=(chromium)
  if [ -x /usr/lib/postgresql/15/bin/postgres ] && [ ! -f /usr/share/postgresql/15/extension/hypopg.control ]; then
    wanted+=(postgresql-15-hypopg)
  fi
fi
[ ${#wanted[@]} -eq 0 ] && exit 0
consequence="diagrams are drawn by graphviz-pure instead of graphviz; test tiers needing the others are skipped"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: not installing ${wanted[*]} (needs root and apt-get): $consequence" >&2
  exit 0
fi
echo "installing system packages: ${wanted[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${wanted[@]}"; } >/dev/null 2>&1 \
  || echo "note: could not install ${wanted[*]}: $consequence" >&2
exit 0
