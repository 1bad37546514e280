#!/usr/bin/env bash
# Idle cost of the daemon: `vvgintake run` with IMAP IDLE on a private
# Dovecot (empty INBOX), SMTP to Mailpit and the web form on, nothing
# arriving. Samples RSS every second for SECONDS (default 60) after the
# daemon is connected, and the CPU time it used meanwhile (utime+stime
# from /proc/PID/stat).
#
#   bench/idle.sh [SECONDS] [VVGS]
#
# With VVGS (1, 20, 60…), one `vvgintake run -config-dir` process serves
# that many VVGs: each the example configuration with its own ledger,
# Dovecot account (one Dovecot, VVGS accounts, each IDLE), reference
# prefix, form and console; one Mailpit for all.
source "$(dirname "$0")/lib.sh"
SECS=${1:-60}
VVGS=${2:-0}
need go curl
build_vvgintake
mkdir -p "$WORK/dov/mail/resident/Maildir/cur" "$WORK/dov/mail/resident/Maildir/new" "$WORK/dov/mail/resident/Maildir/tmp" "$WORK/d"
start_dovecot "$WORK/dov"
start_mailpit "$WORK/mailpit"
PORT=$(free_port)
if ((VVGS == 0)); then
	# shellcheck disable=SC2046
	env -i $(vvg_env "$WORK/d") $(imap_env) $(smtp_env) VVGINTAKE_LOG_LEVEL=info \
		VVGINTAKE_FORM_ENABLED=true VVGINTAKE_FORM_LISTEN=127.0.0.1:$PORT \
		"$BIN" -config "$CONFIG" run 2>"$WORK/daemon.log" &
	WANT=1
else
	# One VVG file per VVG: the example with its own ledger, account and
	# prefix (awk, by section: the example's keys are not unique).
	mkdir -p "$WORK/conf.d" "$WORK/state"
	for i in $(seq "$VVGS"); do
		slug=$(printf 'vvg%02d' "$i")
		echo "$slug:{PLAIN}secret-$slug" >>"$WORK/dov/passwd"
		echo "secret-$slug" >"$WORK/state/$slug.pw"
		awk -v slug="$slug" -v pfx="$(printf 'V%02d' "$i")" -v db="$WORK/state/$slug.db" -v pw="$WORK/state/$slug.pw" \
			-v iport="$DOVECOT_PORT" -v sport="$SMTP_PORT" -v repo="$REPO" '
			/^\[/ { sec = $0 }
			sec == "[organisation]" && /^ref_prefix *=/ { print "ref_prefix = \"" pfx "\""; next }
			sec == "[organisation]" && /^mailbox *=/ { print "mailbox = \"" slug "@vvg.test\""; next }
			sec == "[ledger]" && /^path *=/ { print "path = \"" db "\""; next }
			sec == "[imap]" && /^enabled *=/ { print "enabled = true"; next }
			sec == "[imap]" && /^host *=/ { print "host = \"127.0.0.1\""; next }
			sec == "[imap]" && /^port *=/ { print "port = " iport; next }
			sec == "[imap]" && /^tls *=/ { print "tls = \"none\""; next }
			sec == "[imap]" && /^allow_insecure *=/ { print "allow_insecure = true"; next }
			sec == "[imap]" && /^username *=/ { print "username = \"" slug "\""; print "password_file = \"" pw "\""; next }
			sec == "[smtp]" && /^enabled *=/ { print "enabled = true"; next }
			sec == "[smtp]" && /^host *=/ { print "host = \"127.0.0.1\""; next }
			sec == "[smtp]" && /^port *=/ { print "port = " sport; next }
			sec == "[smtp]" && /^tls *=/ { print "tls = \"none\""; next }
			sec == "[smtp]" && /^allow_insecure *=/ { print "allow_insecure = true"; next }
			sec == "[smtp]" && /^auth *=/ { print "auth = \"none\""; next }
			sec == "[smtp]" && /^username *=/ { next }
			sec == "[notify]" && /^digest_schedule *=/ { print "digest_schedule = \"\""; next }
			sec == "[console]" && /^base_url *=/ { print "base_url = \"http://127.0.0.1/" slug "\""; next }
			{ gsub("\"classify/examples/", "\"" repo "/classify/examples/"); print }
		' "$CONFIG" >"$WORK/conf.d/$slug.toml"
	done
	env -i PATH="$PATH" HOME="$WORK/d" USER=bench "$BIN" -config-dir "$WORK/conf.d" check-config >/dev/null ||
		die "the VVG files do not load: $("$BIN" -config-dir "$WORK/conf.d" check-config 2>&1 | tail -5)"
	CPORT=$(free_port)
	env -i PATH="$PATH" HOME="$WORK/d" USER=bench \
		"$BIN" -config-dir "$WORK/conf.d" run --listen "127.0.0.1:$PORT" --console-listen "127.0.0.1:$CPORT" 2>"$WORK/daemon.log" &
	WANT=$VVGS
fi
DPID=$!
PIDS+=("$DPID")
t_start=$(now)
wait_http "http://127.0.0.1:$PORT/healthz"
for _ in $(seq 1200); do (($(grep -c 'msg=connected' "$WORK/daemon.log") >= WANT)) && break; sleep 0.05; done
(($(grep -c 'msg=connected' "$WORK/daemon.log") >= WANT)) ||
	die "only $(grep -c 'msg=connected' "$WORK/daemon.log") of $WANT mailboxes connected: $(tail -5 "$WORK/daemon.log")"
echo "start: $WANT mailbox(es) connected after $(calc "$(now) - $t_start" 1) s, CPU so far $(calc "$(awk '{ print $14 + $15 }' "/proc/$DPID/stat") / $(getconf CLK_TCK)" 2) s"

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
if ((VVGS > 0)); then
	curl -fsS "http://127.0.0.1:$PORT/metrics" >"$WORK/metrics.txt" || true
	echo "idle host of $VVGS VVGs over ${wall}s (each: IMAP IDLE, SMTP, form, console; nothing arriving):"
	echo "  VVGs up $(grep -c '^vvgintake_vvg_up{.*} 1$' "$WORK/metrics.txt" || true) of $VVGS; classifiers trained $(awk '/^vvgintake_models_trained_total/ { print $2 }' "$WORK/metrics.txt")"
else
	echo "idle daemon over ${wall}s (IMAP IDLE, SMTP, form; nothing arriving):"
fi
echo "  RSS start $(calc "$r0 / 1024" 1) MB, end $(calc "$r1 / 1024" 1) MB, min $(calc "$rmin / 1024" 1), max $(calc "$rmax / 1024" 1) MB; VmHWM $(calc "$(vmhwm "$DPID") / 1024" 1) MB"
echo "  CPU $cpu s ($((c1 - c0)) clock ticks at $HZ Hz) = $(calc "100 * $cpu / $wall" 3) % of one core"
echo "  threads $(awk '/^Threads/ { print $2 }' "/proc/$DPID/status"), IMAP reconnects logged: $(grep -c 'reconnecting' "$WORK/daemon.log" || true)"
