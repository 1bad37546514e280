#!/usr/bin/env bash
# Idle cost of the daemon: `vvgintake run` with IMAP IDLE on a private
# Dovecot (empty INBOX), SMTP to Mailpit and the web form on, nothing
# arriving. Samples RSS every second for SECONDS (default 60) after the
# daemon is connected, and the CPU time it used meanwhile (utime+stime
# from /proc/PID/stat).
#
#   bench/idle.sh [SECONDS]
source "$(dirname "$0")/lib.sh"
SECS=${1:-60}
need go curl
build_vvgintake
mkdir -p "$WORK/dov/mail/resident/Maildir/cur" "$WORK/dov/mail/resident/Maildir/new" "$WORK/dov/mail/resident/Maildir/tmp" "$WORK/d"
start_dovecot "$WORK/dov"
start_mailpit "$WORK/mailpit"
PORT=$(free_port)
# shellcheck disable=SC2046
env -i $(vvg_env "$WORK/d") $(imap_env) $(smtp_env) VVGINTAKE_LOG_LEVEL=info \
	VVGINTAKE_FORM_ENABLED=true VVGINTAKE_FORM_LISTEN=127.0.0.1:$PORT \
	"$BIN" -config "$CONFIG" run 2>"$WORK/daemon.log" &
DPID=$!
PIDS+=("$DPID")
wait_http "http://127.0.0.1:$PORT/healthz"
for _ in $(seq 200); do grep -q 'msg=connected' "$WORK/daemon.log" && break; sleep 0.05; done
grep -q 'msg=connected' "$WORK/daemon.log" || die "daemon did not connect to IMAP: $(tail -5 "$WORK/daemon.log")"

HZ=$(getconf CLK_TCK)
ticks() { awk '{ print $14 + $15 }' "/proc/$DPID/stat"; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$DPID/status"; }
c0=$(ticks)
t0=$(now)
r0=$(rss)
rmin=$r0 rmax=$r0
for _ in $(seq "$SECS"); do
	sleep 1
	r=$(rss)
	((r < rmin)) && rmin=$r
	((r > rmax)) && rmax=$r
done
c1=$(ticks)
t1=$(now)
r1=$(rss)
cpu=$(calc "($c1 - $c0) / $HZ" 2)
wall=$(calc "$t1 - $t0" 1)
echo "idle daemon over ${wall}s (IMAP IDLE, SMTP, form; nothing arriving):"
echo "  RSS start $(calc "$r0 / 1024" 1) MB, end $(calc "$r1 / 1024" 1) MB, min $(calc "$rmin / 1024" 1), max $(calc "$rmax / 1024" 1) MB; VmHWM $(calc "$(vmhwm "$DPID") / 1024" 1) MB"
echo "  CPU $cpu s ($((c1 - c0)) clock ticks at $HZ Hz) = $(calc "100 * $cpu / $wall" 3) % of one core"
echo "  threads $(awk '/^Threads/ { print $2 }' "/proc/$DPID/status"), IMAP reconnects logged: $(grep -c 'reconnecting' "$WORK/daemon.log" || true)"
