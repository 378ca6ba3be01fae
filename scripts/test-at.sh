#!/usr/bin/env bash
# Runs a test command with the whole process tree (Node, the embedded PostgreSQL, Chromium) on a fake clock, to
# prove that the suite passes on any day and at any hour (docs/testing.md). Needs Debian's faketime package.
#   scripts/test-at.sh '2027-02-10 15:30:00' npm test        # UTC: 23:30 in Beijing, during the Spring Festival
#   scripts/test-at.sh '2026-12-31 16:30:00' npm run test:integration   # already 2027 in Beijing, still 2026 in UTC
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: scripts/test-at.sh 'YYYY-MM-DD HH:MM:SS' (UTC) command..." >&2
  exit 2
fi
if ! command -v faketime >/dev/null; then
  echo "faketime is not installed: apt-get install -y faketime" >&2
  exit 2
fi
at="$1"
shift
# The clock starts at the given instant and runs on from there; DATABASE_URL is dropped so that the database server
# runs on the same clock (an external one would not).
unset DATABASE_URL
export TZ=UTC
# The few tests that need the operating system's own timers (which libfaketime breaks) skip themselves.
export FAKE_CLOCK=1
exec faketime "$at" "$@"
