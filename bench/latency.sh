#!/usr/bin/env bash
# New mail → acknowledgement at the SMTP server, with IMAP IDLE: the real
# binary, a suggestion APPENDed over a kept-open IMAP connection, the time
# until its acknowledgement lands at an in-process SMTP server. N messages
# (default 50), one at a time; p50/p95/max in ms. Runs against go-imap's
# in-memory server (vvgintake's own share) and a private Dovecot (which
# holds IDLE notifications back 500 ms). See BenchmarkIdleLatency in
# cmd/vvgintake/crash_bench_test.go.
#
#   bench/latency.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50}
VVGINTAKE_TEST_REAL=1 go test -run '^$' -bench '^BenchmarkIdleLatency$' -benchtime "${N}x" -count 1 ./cmd/vvgintake |
	grep -E '^(Benchmark|ok|FAIL|---)' || { echo "bench: latency benchmark failed" >&2; exit 1; }
