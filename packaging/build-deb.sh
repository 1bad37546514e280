#!/usr/bin/env bash
# Builds the vvgintake Debian package from this checkout with dpkg-deb:
#   packaging/build-deb.sh [OUTDIR]        (default: ./dist)
# It prints the path of the .deb it wrote. No network beyond the Go module
# proxy: vvgintake is built from the checkout, Litestream (the ledger's
# off-site replica) at a pinned version with `go install`, both without
# cgo, so the package needs nothing of the host's but adduser.
#
# VERSION overrides the package version (default: 0.0.0+git, the commit
# time and revision, so that a later commit upgrades an earlier one);
# LITESTREAM names an already built litestream binary of the pinned version;
# MAINTAINER the package's Maintainer field.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
here="$repo/packaging"
out="${1:-$repo/dist}"
litestream_version=v0.5.17 # test.sh installs the same one
MAINTAINER="${MAINTAINER:-vvgintake <vvgintake@localhost>}" # the host's, for its own builds

cd "$repo"
if [ -z "${VERSION:-}" ]; then
	VERSION="0.0.0+git$(git log -1 --format=%cd --date=format:%Y%m%d%H%M%S).$(git rev-parse --short=12 HEAD)"
	git diff --quiet HEAD 2>/dev/null || VERSION="$VERSION.dirty"
fi
goarch="$(go env GOARCH)"
case "$goarch" in
amd64 | arm64 | riscv64 | ppc64el | s390x) arch="$goarch" ;;
386) arch=i386 ;;
arm) arch=armhf ;;
*) echo "build-deb.sh: no Debian architecture for GOARCH=$goarch" >&2; exit 1 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/lib/vvgintake" "$root/usr/share/man/man1" \
	"$root/usr/share/doc/vvgintake" "$root/lib/systemd/system" \
	"$root/etc/vvgintake/vvgintake.d" "$root/etc/sudoers.d"

echo "build-deb.sh: building vvgintake $VERSION ($arch)" >&2
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$root/usr/bin/vvgintake" ./cmd/vvgintake

# Litestream: a given binary, the one built last time, or a fresh build.
cache="${XDG_CACHE_HOME:-$HOME/.cache}/vvgintake/litestream-$litestream_version-$goarch"
ls_bin="${LITESTREAM:-$cache/litestream}"
if ! "$ls_bin" version 2>/dev/null | grep -qx "$litestream_version"; then
	[ -z "${LITESTREAM:-}" ] || { echo "build-deb.sh: $LITESTREAM is not Litestream $litestream_version" >&2; exit 1; }
	echo "build-deb.sh: building Litestream $litestream_version (about five minutes, once)" >&2
	mkdir -p "$cache"
	(cd "$work" && CGO_ENABLED=0 GOBIN="$cache" go install -trimpath -ldflags="-s -w" \
		"github.com/benbjohnson/litestream/cmd/litestream@$litestream_version")
fi
install -m 0755 "$ls_bin" "$root/usr/lib/vvgintake/litestream"
install -m 0755 "$here/lib/start" "$root/usr/lib/vvgintake/start"

# Units.
install -m 0644 "$here/systemd/vvgintake.service" "$here/systemd/vvgintake-litestream.service" "$root/lib/systemd/system/"

# Configuration, where the package puts things (conffiles: an upgrade
# keeps the host's edits). The example's paths are the package's.
install -m 0644 config.example.toml "$root/etc/vvgintake/vvgintake.toml"
install -m 0600 "$here/etc/secrets.env" "$root/etc/vvgintake/secrets.env"
install -m 0644 "$here/etc/litestream.yml" "$root/etc/vvgintake/litestream.yml"
install -m 0600 "$here/etc/litestream.env" "$root/etc/vvgintake/litestream.env"
install -m 0440 "$here/etc/sudoers" "$root/etc/sudoers.d/vvgintake"
install -m 0644 config.example.toml "$root/usr/share/doc/vvgintake/vvgintake.toml.example"
install -m 0644 README.md "$root/usr/share/doc/vvgintake/README.md"

# The manual page: the binary's own help, every command's in full.
"$root/usr/bin/vvgintake" help >"$work/help.txt"
{
	printf '.TH VVGINTAKE 1 "%s" "vvgintake %s" "User Commands"\n' "$(git log -1 --format=%cd --date=format:%Y-%m-%d)" "$VERSION"
	printf '.SH NAME\nvvgintake \\- public consultations for a Lithuanian Local Action Group (VVG)\n'
	printf '.SH SYNOPSIS\n.B vvgintake\n[\\-config FILE] COMMAND [ARGS] [\\-\\-actor NAME]\n'
	printf '.SH DESCRIPTION\n.nf\n'
	sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/" "$work/help.txt"
	printf '.fi\n.SH COMMANDS\n'
	for c in $(awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1}' "$work/help.txt"); do
		printf '.SS %s\n.nf\n' "$c"
		"$root/usr/bin/vvgintake" help "$c" | sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/"
		printf '.fi\n'
	done
	printf '.SH FILES\n.TP\n/etc/vvgintake/vvgintake.toml\none VVG'"'"'s configuration\n'
	printf '.TP\n/etc/vvgintake/vvgintake.d/\nseveral VVGs, one file each\n'
	printf '.TP\n/var/lib/vvgintake/\nthe ledgers\n'
	printf '.TP\n/etc/vvgintake/litestream.yml\nthe ledgers'"'"' replicas (Litestream)\n'
	printf '.SH SEE ALSO\n/usr/share/doc/vvgintake/README.md\n'
} | gzip -9n >"$root/usr/share/man/man1/vvgintake.1.gz"

cat >"$root/usr/share/doc/vvgintake/copyright" <<COPY
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: vvgintake

Files: usr/bin/vvgintake
Copyright: the vvgintake authors

Files: usr/lib/vvgintake/litestream
Copyright: 2020 Ben Johnson (Litestream $litestream_version, https://github.com/benbjohnson/litestream)
License: Apache-2.0
 On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.
COPY
# A native package's changelog: this build, from this revision.
{
	printf 'vvgintake (%s) unstable; urgency=medium\n\n' "$VERSION"
	printf '  * Built from revision %s.\n\n' "$(git rev-parse HEAD)"
	printf ' -- %s  %s\n' "$MAINTAINER" "$(git log -1 --format=%cD)"
} | gzip -9n >"$root/usr/share/doc/vvgintake/changelog.gz"

# Control files.
(cd "$root" && find etc -type f | sed 's|^|/|' | sort) >"$root/DEBIAN/conffiles"
install -m 0755 "$here/debian/postinst" "$here/debian/prerm" "$here/debian/postrm" "$root/DEBIAN/"
size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" -e "s|@MAINTAINER@|$MAINTAINER|" \
	"$here/debian/control" >"$root/DEBIAN/control"

mkdir -p "$out"
deb="$out/vvgintake_${VERSION}_$arch.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
