#!/usr/bin/env bash
# Ingest throughput: a Dovecot mailbox of N messages (default 10,000),
# downloaded by mbsync (isync) into a Maildir, versus ingested end to end by
# `vvgintake run --once` into a fresh ledger (fetch, parse, classify,
# record, queue the acknowledgement, mark with the keyword). Two mailboxes:
# "typical" (2-20 KB mostly, some 50-600 KB photos) and "attachments" (the
# same plus a 3 MB PDF on every 50th message). Prints wall time, msgs/s,
# MB/s (10^6 bytes of mailbox per second) and peak RSS side by side.
#
# Each variant runs ROUNDS (3) times, mbsync and vvgintake alternately on
# the same Dovecot; the best wall time of each is compared, since a shared
# machine only ever makes a run slower.
#
#   bench/ingest.sh [N]     BIG_EVERY=50 BIG_MB=3 change the big variant,
#                           ROUNDS=3 how many times each runs,
#                           VARIANTS="typical attachments" picks them,
#                           VVGINTAKE_BIN=path measures another build,
#                           COMPARE_BIN=path also measures a second build in
#                             (COMPARE_CONFIG=path its configuration, when the
#                             example changed in between)
#                             the same rounds (A/B: before and after a change),
#                           BENCH_ENV="GOMEMLIMIT=32MiB" adds to its environment
#
# Needs dovecot, mbsync (apt-get install -y --no-install-recommends
# dovecot-imapd isync) and /usr/bin/time.
source "$(dirname "$0")/lib.sh"
N=${1:-10000}
BIG_EVERY=${BIG_EVERY:-50}
BIG_MB=${BIG_MB:-3}
need mbsync /usr/bin/time go
build_vvgintake
(cd "$REPO" && go build -o "$WORK/mkmailbox" ./bench/mkmailbox)

# measure NAME CMD... runs CMD under /usr/bin/time -v and sets WALL (s),
# CPU (user+system s) and RSS (KiB peak).
measure() {
	local name=$1
	shift
	local t0 t1
	# Start clean: dirty pages left by the previous run (hundreds of MB)
	# would otherwise be written back during this one and slow its fsyncs.
	sync
	t0=$(now)
	/usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>&1 || {
		cat "$WORK/$name.out" >&2
		die "$name failed"
	}
	t1=$(now)
	WALL=$(calc "$t1 - $t0" 3)
	RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/$name.time")
	CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$WORK/$name.time")
}

variant() {
	local name=$1 big=$2 d=$WORK/$1
	mkdir -p "$d/mail/resident"
	echo "== $name: generating $N messages"
	"$WORK/mkmailbox" -dir "$d/mail/resident/Maildir" -n "$N" -big-every "$big" -big-mb "$BIG_MB" >"$d/mk.out"
	local bytes
	bytes=$(awk '{ print $3 }' "$d/mk.out")
	start_dovecot "$d"
	# Let Dovecot assign UIDs and build its index now, and warm the page
	# cache, so neither client pays for the first look.
	doveadm -c "$DOVECOT_CONF" mailbox status -u resident "messages vsize" INBOX >/dev/null
	cat "$d"/mail/resident/Maildir/cur/* >/dev/null

	cat >"$d/mbsyncrc" <<EOF
IMAPAccount bench
Host 127.0.0.1
Port $DOVECOT_PORT
User resident
Pass secret
SSLType None
AuthMechs LOGIN

IMAPStore remote
Account bench

MaildirStore local
Path $d/mbsync/
Inbox $d/mbsync/INBOX

Channel bench
Far :remote:
Near :local:
Patterns INBOX
Create Near
Sync Pull
SyncState *
EOF
	local r best_mb="" best_vv="" best_mb_cpu="" best_vv_cpu="" mb_rss=0 vv_rss=0 rounds=""
	local best_cmp="" best_cmp_cpu="" cmp_rss=0
	for r in $(seq "${ROUNDS:-3}"); do
		# Each round writes to new directories and nothing is deleted
		# until the variant ends, so freeing one run's hundreds of MB
		# (discards, journal) never overlaps a measured run.
		if ((r > 1)); then
			mv "$d/mbsync" "$d/mbsync.$r" && mv "$d/vvg" "$d/vvg.$r"
			[[ -z ${COMPARE_BIN:-} ]] || mv "$d/cmp" "$d/cmp.$r"
		fi
		mkdir -p "$d/mbsync" "$d/vvg" "$d/cmp"
		measure "$name-mbsync" mbsync -c "$d/mbsyncrc" -q bench
		local mb_wall=$WALL mb_cpu=$CPU
		mb_rss=$((RSS > mb_rss ? RSS : mb_rss))
		local got
		got=$(find "$d/mbsync/INBOX" -type f -path '*/cur/*' -o -type f -path '*/new/*' | wc -l)
		[[ $got == "$N" ]] || die "mbsync stored $got messages, want $N"

		# shellcheck disable=SC2046
		measure "$name-vvgintake" env -i $(vvg_env "$d/vvg") $(imap_env) VVGINTAKE_IMAP_AFTER_INGEST=keyword ${BENCH_ENV:-} \
			"$BIN" -config "$CONFIG" run --once
		local vv_wall=$WALL vv_cpu=$CPU
		vv_rss=$((RSS > vv_rss ? RSS : vv_rss))
		local recorded
		recorded=$(sqlite_count "$d/vvg/vvgintake.db")
		[[ $recorded == "$N" ]] || die "vvgintake recorded $recorded messages, want $N"
		if [[ -n ${COMPARE_BIN:-} ]]; then
			# The same mailbox again: the keyword the first run set does
			# not change what is fetched (a fresh ledger asks for all).
			# shellcheck disable=SC2046
			measure "$name-compare" env -i $(vvg_env "$d/cmp") $(imap_env) VVGINTAKE_IMAP_AFTER_INGEST=keyword ${BENCH_ENV:-} \
				"$COMPARE_BIN" -config "${COMPARE_CONFIG:-$CONFIG}" run --once
			rounds+=$(printf '  round %d: compare %s s (cpu %s s)' "$r" "$WALL" "$CPU")$'\n'
			cmp_rss=$((RSS > cmp_rss ? RSS : cmp_rss))
			if [[ -z $best_cmp ]] || (($(calc "$WALL < $best_cmp" 0))); then best_cmp=$WALL best_cmp_cpu=$CPU; fi
		fi
		rounds+=$(printf '  round %d: mbsync %s s (cpu %s s), vvgintake %s s (cpu %s s), ratio %sx' \
			"$r" "$mb_wall" "$mb_cpu" "$vv_wall" "$vv_cpu" "$(calc "$vv_wall / $mb_wall" 2)")$'\n'
		if [[ -z $best_mb ]] || (($(calc "$mb_wall < $best_mb" 0))); then best_mb=$mb_wall best_mb_cpu=$mb_cpu; fi
		if [[ -z $best_vv ]] || (($(calc "$vv_wall < $best_vv" 0))); then best_vv=$vv_wall best_vv_cpu=$vv_cpu; fi
	done
	stop_dovecot

	local mbytes
	mbytes=$(calc "$bytes / 1000000" 1)
	printf '\n%s: %d messages, %s MB\n%s' "$name" "$N" "$mbytes" "$rounds"
	printf '  best of %d          %9s %9s %9s %9s %12s\n' "${ROUNDS:-3}" "wall s" "cpu s" "msgs/s" "MB/s" "peak RSS MB"
	printf '  %-22s %9s %9s %9s %9s %12s\n' "mbsync (download)" "$best_mb" "$best_mb_cpu" "$(calc "$N / $best_mb" 0)" \
		"$(calc "$bytes / 1000000 / $best_mb" 1)" "$(calc "$mb_rss / 1024" 1)"
	printf '  %-22s %9s %9s %9s %9s %12s\n' "vvgintake run --once" "$best_vv" "$best_vv_cpu" "$(calc "$N / $best_vv" 0)" \
		"$(calc "$bytes / 1000000 / $best_vv" 1)" "$(calc "$vv_rss / 1024" 1)"
	if [[ -n ${COMPARE_BIN:-} ]]; then
		printf '  %-22s %9s %9s %9s %9s %12s\n' "compare run --once" "$best_cmp" "$best_cmp_cpu" "$(calc "$N / $best_cmp" 0)" \
			"$(calc "$bytes / 1000000 / $best_cmp" 1)" "$(calc "$cmp_rss / 1024" 1)"
		printf '  compare / vvgintake wall, best of each: %sx\n' "$(calc "$best_cmp / $best_vv" 2)"
	fi
	printf '  vvgintake / mbsync wall, best of each: %sx\n\n' "$(calc "$best_vv / $best_mb" 2)"
	rm -rf "$d"
	sync
}

# sqlite_count DB prints how many messages the ledger recorded, read with
# the binary itself (no sqlite3 CLI needed).
sqlite_count() {
	# shellcheck disable=SC2046
	env -i $(vvg_env "$(dirname "$1")") "$BIN" -config "$CONFIG" messages --json | grep -c '"message_id"'
}

for v in ${VARIANTS:-typical attachments}; do
	case $v in
	typical) variant typical 0 ;;
	attachments) variant attachments "$BIG_EVERY" ;;
	*) die "unknown variant $v (typical, attachments)" ;;
	esac
done
