package vilnius

import (
	"testing"
	"time"
)

func TestOr(t *testing.T) {
	got, err := Or(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != Name {
		t.Errorf("Or(nil) = %v, want %s", got, Name)
	}
	if got, err := Or(time.UTC); err != nil || got != time.UTC {
		t.Errorf("Or(UTC) = %v, %v, want UTC", got, err)
	}
}
