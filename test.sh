#!/usr/bin/env bash
# The test command (README, and what .ci/run calls): installs what the
# tests need — Dovecot, Chromium, npm, the Snowball vocabulary and
# poppler-utils (pdftotext and pdftoppm read the results table's PDF back)
# from Debian, Mailpit from the Go module proxy, axe-core from the npm registry
# (the console's accessibility check), Litestream from the Go module proxy
# (the ledger's replica), systemd, adduser and Caddy (the package's tests) — then checks formatting, vets, and runs
# every test against the real servers (VVGINTAKE_TEST_REAL=1: a server or
# browser that is missing fails the run instead of skipping).
set -euo pipefail
cd "$(dirname "$0")"

need=()
[ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/snowball/data/lithuanian/voc.txt ] || need+=(snowball-data)
command -v npm >/dev/null || need+=(npm)
{ command -v pdftotext && command -v pdftoppm; } >/dev/null || need+=(poppler-utils)
# The package test (packaging/): build with dpkg-deb, install with dpkg and
# adduser into a throwaway root (unshare, nsenter: util-linux), verify the
# units with systemd-analyze.
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v adduser >/dev/null || need+=(adduser)
{ command -v unshare && command -v nsenter; } >/dev/null || need+=(util-linux)
# The README's Caddyfile, run in front of the daemon (packaging/proxy_test.go).
command -v caddy >/dev/null || need+=(caddy)
if ((${#need[@]})); then
	echo "test.sh: installing ${need[*]}"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

gobin="$(go env GOPATH)/bin"
if [ ! -x "$gobin/mailpit" ]; then
	echo "test.sh: building Mailpit (about two minutes, once)"
	go install github.com/axllent/mailpit@v1.27.11
fi
export VVGINTAKE_MAILPIT="$gobin/mailpit"

# Litestream, the ledger's off-site replica (README, "Records off the
# machine"): the restore test replicates, restores and checks the ledger.
# The version is pinned; packaging/build-deb.sh ships the same one.
litestream_version=v0.5.17
if ! "$gobin/litestream" version 2>/dev/null | grep -qx "$litestream_version"; then
	echo "test.sh: building Litestream $litestream_version (about five minutes, once)"
	go install "github.com/benbjohnson/litestream/cmd/litestream@$litestream_version"
fi
export VVGINTAKE_LITESTREAM="$gobin/litestream"

# axe-core, injected into Chromium by the console's browser test.
axedir="${XDG_CACHE_HOME:-$HOME/.cache}/vvgintake/axe"
export VVGINTAKE_AXE="$axedir/node_modules/axe-core/axe.min.js"
if [ ! -f "$VVGINTAKE_AXE" ]; then
	echo "test.sh: installing axe-core from npm"
	npm install --no-save --no-audit --no-fund --prefix "$axedir" axe-core@4.11.0
fi

unformatted="$(gofmt -l .)"
if [ -n "$unformatted" ]; then
	echo "test.sh: gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
export VVGINTAKE_TEST_REAL=1
export VVGINTAKE_ARTIFACTS="${VVGINTAKE_ARTIFACTS:-$PWD/.artifacts}"
mkdir -p "$VVGINTAKE_ARTIFACTS"
# Arguments go to go test (./test.sh -run TestX ./notify/...); with no
# package among them, the whole tree.
pkgs=(./...)
for a in "$@"; do
	case "$a" in ./* | github.com/*) pkgs=() ;; esac
done
go test -race -shuffle=on -timeout 20m "$@" "${pkgs[@]}"
