package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
)

// staticFiles serves the embedded assets under checksummed URLs, so they
// can be cached for a year and still change with each release.
type staticFiles struct {
	fsys fs.FS
	sums map[string]string // path → first 12 hex digits of its SHA-256
}

func newStaticFiles(fsys fs.FS) (*staticFiles, error) {
	st := &staticFiles{fsys: fsys, sums: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		st.sums[p] = hex.EncodeToString(h[:])[:12]
		return nil
	})
	return st, err
}

// url returns the checksummed URL of an asset; an unknown asset is a
// template error caught by the start-up render test.
func (st *staticFiles) url(name string) string {
	sum, ok := st.sums[name]
	if !ok {
		return "/static/missing/" + name
	}
	return "/static/" + name + "?v=" + sum
}

// ServeHTTP serves an asset; with the right checksum it may be cached long.
func (st *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	sum, ok := st.sums[name]
	if !ok || strings.HasSuffix(name, "LICENSE") || strings.HasSuffix(name, ".md") {
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == sum {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", `"`+sum+`"`)
	http.ServeFileFS(w, r, st.fsys, name)
}
