#!/usr/bin/env bash
# Idle cost of the ledgers' replicas: one Litestream (the package's
# vvgintake-litestream.service) watching a folder of N fresh ledgers, as
# /etc/vvgintake/litestream.yml does, replicating to a file replica,
# nothing being written. For each N (default 1 20 60) it waits for the
# first snapshots and compaction, then samples RSS and counts the CPU time
# used over SECONDS (default 60), at Litestream's default monitor-interval
# (1 s, the package's) and at 5 s. One process per ledger instead costs N times
# the N=1 figure.
#
#   bench/litestream.sh [SECONDS] [N...]
#
# Litestream: $VVGINTAKE_LITESTREAM, else GOPATH/bin/litestream (test.sh
# installs v0.5.17 there).
source "$(dirname "$0")/lib.sh"
SECS=${1:-60}
shift || true
COUNTS=("${@:-1 20 60}")
# shellcheck disable=SC2206
COUNTS=(${COUNTS[*]})
need go
LS=${VVGINTAKE_LITESTREAM:-$(go env GOPATH)/bin/litestream}
[[ -x $LS ]] || die "litestream not found at $LS (go install github.com/benbjohnson/litestream/cmd/litestream@v0.5.17)"
build_vvgintake
HZ=$(getconf CLK_TCK)
echo "$("$LS" version | tr -d '\n'), idle, ${SECS}s each:"
for n in "${COUNTS[@]}"; do
	dir=$WORK/lib$n
	mkdir -p "$dir"
	for i in $(seq -w 1 "$n"); do
		# Each VVG's ledger in a folder of its own, as a directory's VVGs have.
		mkdir -p "$dir/vvg$i"
		# shellcheck disable=SC2046
		env -i $(vvg_env "$WORK") VVGINTAKE_LEDGER_PATH="$dir/vvg$i/vvgintake.db" VVGINTAKE_LEDGER_CHECKPOINT=litestream \
			"$BIN" -config "$CONFIG" migrate >/dev/null || die "migrate vvg$i"
	done
	for mon in 1s 5s; do
		cat >"$WORK/ls.yml" <<YML
dbs:
  - dir: $dir
    pattern: "*.db"
    recursive: true
    watch: true
    monitor-interval: $mon
    replica:
      type: file
      path: $WORK/replica-$n-$mon
YML
		"$LS" replicate -config "$WORK/ls.yml" >"$WORK/ls-$n-$mon.log" 2>&1 &
		LPID=$!
		PIDS+=("$LPID")
		# The first snapshot of every ledger, then quiet.
		for _ in $(seq 600); do
			[[ $(find "$WORK/replica-$n-$mon" -mindepth 2 -maxdepth 2 -type d -name vvgintake.db 2>/dev/null | wc -l) -ge $n ]] && break
			sleep 0.1
		done
		# Past the first compaction into level 1 (every 30 s), which follows
		# the snapshots.
		sleep 35
		c0=$(awk '{ print $14 + $15 }' "/proc/$LPID/stat")
		t0=$(now)
		rmax=0
		for _ in $(seq "$SECS"); do
			sleep 1
			r=$(awk '/^VmRSS/ { print $2 }' "/proc/$LPID/status")
			((r > rmax)) && rmax=$r
		done
		c1=$(awk '{ print $14 + $15 }' "/proc/$LPID/stat")
		wall=$(calc "$(now) - $t0" 1)
		cpu=$(calc "($c1 - $c0) / $HZ" 2)
		printf '  %3d ledgers, monitor-interval %s: RSS %s MB (VmHWM %s MB), CPU %s s = %s %% of one core, %s threads\n' \
			"$n" "$mon" "$(calc "$rmax / 1024" 1)" "$(calc "$(vmhwm "$LPID") / 1024" 1)" "$cpu" \
			"$(calc "100 * $cpu / $wall" 2)" "$(awk '/^Threads/ { print $2 }' "/proc/$LPID/status")"
		kill -TERM "$LPID"
		wait "$LPID" 2>/dev/null || true
	done
done
