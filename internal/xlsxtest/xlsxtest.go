// Package xlsxtest reads back the workbooks the ledger writes (the
// export, the results table), for the tests that check what a
// spreadsheet program would show.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"testing"
)

// Sheet returns the XML of the first worksheet of the workbook b; a
// workbook that is no zip or has no first worksheet fails the test.
func Sheet(t testing.TB, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	s, err := fs.ReadFile(zr, "xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	return string(s)
}
