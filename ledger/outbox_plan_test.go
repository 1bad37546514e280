package ledger

import (
	"context"
	"strings"
	"testing"
)

// TestAckCountUsesIndexes: the per-sender limit is asked for every
// suggestion, so each of its counts must use an index, not scan every
// acknowledgement ever sent.
func TestAckCountUsesIndexes(t *testing.T) {
	db := openTest(t, nil)
	rows, err := db.r.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+ackCountQuery, "a@x.lt", "t", "a@x.lt", "t", "x.lt", "t")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	all := strings.Join(plan, "\n")
	for _, idx := range []string{"outbox_recipients", "outbox_ack_from", "outbox_ack_domain"} {
		if !strings.Contains(all, idx) {
			t.Errorf("the count does not use %s:\n%s", idx, all)
		}
	}
	if strings.Contains(all, "SCAN outbox") {
		t.Errorf("the count scans the outbox:\n%s", all)
	}
}
