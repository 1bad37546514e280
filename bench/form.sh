#!/usr/bin/env bash
# Web form throughput on loopback with wrk: (1) GET of the form page (each
# one sets a cookie and signs a fresh token), (2) complete submissions:
# a Lua script makes every connection GET the form and POST it back with
# its token and cookie, since tokens are single-use. A submission is
# stored in the ledger (classified, reference number, acknowledgement
# queued; SMTP off) before the receipt is sent. The daemon and wrk share
# the machine's cores. The rate limit is lifted and the minimum fill time
# set to 0 for the run; everything else is the example configuration.
#
#   bench/form.sh [SECONDS] [CONNECTIONS]     needs wrk (apt-get install wrk)
source "$(dirname "$0")/lib.sh"
SECS=${1:-10}
CONNS=${2:-8}
need wrk curl go
build_vvgintake
bench_config
PORT=$(free_port)
mkdir -p "$WORK/d"
# shellcheck disable=SC2046
env -i $(vvg_env "$WORK/d") VVGINTAKE_FORM_ENABLED=true VVGINTAKE_FORM_LISTEN=127.0.0.1:$PORT \
	VVGINTAKE_FORM_RATE_LIMIT_PER_HOUR=100000000 VVGINTAKE_FORM_MIN_FILL_SECONDS=0 \
	"$BIN" -config "$CONFIG" run 2>"$WORK/daemon.log" &
DPID=$!
PIDS+=("$DPID")
wait_http "http://127.0.0.1:$PORT/healthz"
SLUG=$(sed -n 's/^slug = "\(.*\)"/\1/p' "$CONFIG" | head -1)
URL=http://127.0.0.1:$PORT/k/$SLUG
curl -fsS -o /dev/null "$URL" || die "form page $URL does not answer 200"

echo "== GET $URL ($CONNS connections, ${SECS}s)"
wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$URL" | sed -n '/Latency Distribution/,/Requests\/sec/p'

echo
echo "== GET form + POST suggestion pairs ($CONNS connections, ${SECS}s)"
wrk -t2 -c"$CONNS" -d"${SECS}s" -s "$REPO/bench/form.lua" "$URL" -- "$SLUG" | sed -n '/Latency/p;/Requests\/sec/p;/form pages/,$p'
echo "(wrk's Requests/sec counts GETs and POSTs together)"

RSS=$(vmhwm "$DPID")
kill -TERM "$DPID"
wait "$DPID" || true
# shellcheck disable=SC2046
N=$(env -i $(vvg_env "$WORK/d") "$BIN" -config "$CONFIG" submissions export --format json | grep -c '"ref"')
echo
echo "ledger holds $N submissions; daemon peak RSS $(calc "$RSS / 1024" 1) MB"
grep -c 'level=ERROR' "$WORK/daemon.log" | xargs -I{} echo "daemon errors logged: {}"
