#!/usr/bin/env bash
# Peak memory of the daemon under an upload flood: POSTS (25) concurrent
# forms of MB (30) megabytes each (three files), first without a cookie and
# token, then with them (25 browsers; the rate limit lifted), against
# `vvgintake run` with its web form on 127.0.0.1. Prints the daemon's peak
# resident memory (VmHWM) after each. The bodies are generated as they are
# sent. It is TestFormUploadFlood in cmd/vvgintake/flood_test.go.
#
#   bench/upload.sh [POSTS] [MB]
source "$(dirname "$0")/lib.sh"
need go
cd "$REPO"
VVGINTAKE_FLOOD_POSTS=${1:-25} VVGINTAKE_FLOOD_MB=${2:-30} go test -count=1 -run TestFormUploadFlood -v ./cmd/vvgintake |
	grep -E 'peak RSS|^(ok|FAIL|---)' | sed 's/^ *flood_test.go:[0-9]*: //'
