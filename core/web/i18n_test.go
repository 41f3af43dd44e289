package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// Every host string the templates and handlers ask for is in the
// catalogue, in both languages.
func TestCatalogueComplete(t *testing.T) {
	keyRE := regexp.MustCompile(`(?:\.T|T\(q\.lang,) *\(?"([a-z0-9.]+)"`)
	used := map[string]bool{}
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, path)
		for _, m := range keyRE.FindAllSubmatch(b, -1) {
			used[string(m[1])] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goFiles, _ := filepath.Glob("*.go")
	for _, f := range goFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllSubmatch(b, -1) {
			used[string(m[1])] = true
		}
	}
	// Keys built at run time (dashboard counts, admin sections, states,
	// levels).
	for _, k := range []string{"state.starting", "state.running", "state.restarting", "state.failed", "state.stopped",
		"level.province", "level.regency", "level.district", "level.village", "dash.modules", "dash.problems", "dash.nogrants", "nav.users", "nav.members", "nav.roles", "nav.modulesadmin", "nav.audit", "nav.plugins", "nav.regions"} {
		used[k] = true
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys: the pattern is broken", len(used))
	}
	for k := range used {
		for _, lang := range []string{LangID, LangEN} {
			if _, ok := catalogue[lang][k]; !ok && k != "plugins.pid" {
				t.Errorf("key %q missing in %s", k, lang)
			}
		}
	}
}

func TestRewriteLocation(t *testing.T) {
	base := "/console/14.01.01.2001/m/population"
	for in, want := range map[string]string{
		"/residents/12":            base + "/residents/12",
		base + "/residents/12":     base + "/residents/12",
		base:                       base,
		base + "?page=2":           base + "?page=2",
		"/console/14.01.01.2001/m": base + "/console/14.01.01.2001/m",
		"https://other.example/x":  "https://other.example/x",
		"//other.example/x":        "//other.example/x",
		"residents":                "residents",
	} {
		if got := rewriteLocation(in, base); got != want {
			t.Errorf("rewriteLocation(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/console/14/":            "/console/14/",
		"//evil.example/console/": "/console/",
		"https://evil.example/":   "/console/",
		"/console/\\evil":         "/console/",
		"":                        "/console/",
		"/api/v1/me":              "/console/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
