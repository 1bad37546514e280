#!/usr/bin/env bash
# Wall time of `vvgintake demo` (in-process IMAP and SMTP, 20 sample mails,
# the whole pipeline, files written to a scratch directory), RUNS times
# (default 3), with CPU time and peak RSS of each run.
#
#   bench/demo.sh [RUNS]
source "$(dirname "$0")/lib.sh"
RUNS=${1:-3}
need go /usr/bin/time
build_vvgintake
if ! "$BIN" help demo >/dev/null 2>&1 || ! "$BIN" help | grep -q '^  demo '; then
	echo "vvgintake has no demo command yet; nothing to measure"
	exit 0
fi
walls=()
for i in $(seq "$RUNS"); do
	t0=$(now)
	/usr/bin/time -f '%U %S %M' -o "$WORK/time.$i" env -i PATH="$PATH" HOME="$WORK" "$BIN" demo --out "$WORK/demo-$i" >"$WORK/demo-$i.out" 2>&1 ||
		{ cat "$WORK/demo-$i.out" >&2; die "demo run $i failed"; }
	t1=$(now)
	w=$(calc "$t1 - $t0" 3)
	walls+=("$w")
	read -r u s m <"$WORK/time.$i"
	echo "run $i: wall $w s, cpu $(calc "$u + $s" 2) s, peak RSS $(calc "$m / 1024" 1) MB, $(find "$WORK/demo-$i/mail" -name '*.eml' | wc -l) mails written"
done
printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "wall: min %s s, median %s s over %d runs\n", a[1], a[int((NR + 1) / 2)], NR }'
