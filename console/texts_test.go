package console

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestEveryTextTranslated: every text the templates and handlers name
// has its Lithuanian, the default language.
func TestEveryTextTranslated(t *testing.T) {
	keyRE := regexp.MustCompile(`(?:\{\{T |\(T |tr\(q\.lang, |fail\(w, r, q, http\.Status\w+, )"([^"]+)"`)
	files, _ := fs.Glob(assets, "templates/*.html")
	gos, _ := filepath.Glob("*.go")
	check := func(name string, b []byte) {
		for _, m := range keyRE.FindAllSubmatch(b, -1) {
			k := string(m[1])
			if k[len(k)-1] == ':' {
				continue // a prefix: its keys are checked below
			}
			_, inLT := lt[k]
			_, inValues := values[k]
			if !inLT && !inValues {
				t.Errorf("%s: %q has no Lithuanian in texts.go", name, m[1])
			}
		}
	}
	for _, f := range files {
		b, _ := fs.ReadFile(assets, f)
		check(f, b)
	}
	for _, f := range gos {
		b, _ := os.ReadFile(f)
		check(f, b)
	}
	for k := range lt {
		if len(k) > 3 && k[len(k)-1] != '.' && regexp.MustCompile(`^[a-z]+:`).MatchString(k) {
			t.Errorf("%q has no English in texts.go: a key with a prefix belongs in values", k)
		}
	}
	for k, v := range values {
		if v.en == "" || v.lt == "" {
			t.Errorf("%q has no English or no Lithuanian in texts.go", k)
		}
	}
}
