package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// Static is a folder of embedded files (stylesheets, scripts, pictures)
// served with a content digest as ETag. URLs carry the digest, so
// browsers may keep a file for a day yet never show an old one after an
// upgrade.
type Static struct {
	files map[string]staticFile
}

type staticFile struct {
	data  []byte
	ctype string
	etag  string
}

// LoadStatic reads every file of dir in fsys.
func LoadStatic(fsys fs.FS, dir string) (*Static, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read static files: %w", err)
	}
	s := &Static{files: map[string]staticFile{}}
	for _, e := range entries {
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read static file %s: %w", e.Name(), err)
		}
		sum := sha256.Sum256(data)
		s.files[e.Name()] = staticFile{data: data, ctype: mime.TypeByExtension(path.Ext(e.Name())),
			etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return s, nil
}

// URL returns prefix+name with the file's version, or an error when there
// is no such file (a template naming a missing file fails at start).
func (s *Static) URL(prefix, name string) (string, error) {
	f, ok := s.files[name]
	if !ok {
		return "", fmt.Errorf("static file %s missing", name)
	}
	return prefix + name + "?v=" + strings.Trim(f.etag, `"`), nil
}

// Names lists the files.
func (s *Static) Names() []string {
	out := make([]string, 0, len(s.files))
	for n := range s.files {
		out = append(out, n)
	}
	return out
}

// Serve writes the named file and reports whether there is one; there is
// no directory listing.
func (s *Static) Serve(w http.ResponseWriter, r *http.Request, name string) bool {
	f, ok := s.files[name]
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("ETag", f.etag)
	h.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.data))
	return true
}

// Size is the number of bytes of the named file (0 when there is none).
func (s *Static) Size(name string) int { return len(s.files[name].data) }
