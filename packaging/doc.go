// Package packaging holds no code: it is the Debian package of vvgintake
// (build-deb.sh, the systemd units, the maintainer scripts, the files
// under /etc it installs) and the test that builds the package, installs
// it into a throwaway root, checks its units with systemd-analyze and
// runs the installed binary there.
//
// What the package puts where:
//   - /usr/bin/vvgintake, its manual page vvgintake(1) (the binary's help)
//   - /usr/lib/vvgintake/litestream, the ledgers' off-site replica, pinned
//   - /usr/lib/vvgintake/start, the unit's start: several VVGs from
//     /etc/vvgintake/vvgintake.d/ when it holds a *.toml, else one from
//     /etc/vvgintake/vvgintake.toml
//   - vvgintake.service, and vvgintake-litestream.service: one Litestream
//     for the host, one replica per ledger in /var/lib/vvgintake/
//   - /etc/vvgintake/ (root:vvgintake 0750), conffiles kept on upgrade
//   - /var/lib/vvgintake/ (vvgintake:vvgintake 0750), never deleted by
//     the package, not even on purge: the ledgers are the VVGs' records
//   - /etc/sudoers.d/vvgintake: the vvgintake group runs the command
//     line as the service's user
package packaging
