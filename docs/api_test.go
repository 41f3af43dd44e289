// Package docs_test keeps docs/api.md, the API reference, true to the
// code: every route of the host's API and of the first-party modules is
// documented there, and nothing is documented that does not exist.
package docs_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/portal"
)

// hostRoutes are the host's routes as the real server registers them:
// "METHOD /path" for each method of each api.Methods route, read by
// walking the router a portal builds (without starting plugins).
func hostRoutes(t *testing.T) []string {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	p, err := portal.Open(portal.Config{DataDir: dir, Logger: log, API: &api.Options{Logger: log}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	var out []string
	// The operations endpoints sit on the main router, beside /api/v1.
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		out = append(out, "GET "+path)
	}
	err = p.API.API.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		ms, ok := route.GetHandler().(api.Methods)
		if !ok {
			return nil
		}
		path, err := route.GetPathTemplate()
		if err != nil {
			return err
		}
		for m := range ms {
			out = append(out, m+" "+path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// pluginRoutes are the routes the first-party modules declare
// (sdk.Route literals with a Method and a Path in plugins/*), as "METHOD
// /api/v1/t/{tenant}/{plugin}/path"; a pattern's "{$}" (exactly this path)
// is left out.
func pluginRoutes(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob("../plugins/*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, dir := range dirs {
		id := filepath.Base(dir)
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				lit, ok := n.(*ast.CompositeLit)
				if !ok {
					return true
				}
				// sdk.Route{...}, or the elements of []sdk.Route{{...}}:
				// not pages (sdk.Page) or anything else with a Path.
				switch typ := lit.Type.(type) {
				case *ast.SelectorExpr:
					if typ.Sel.Name == "Route" {
						out = appendRoute(out, id, lit)
					}
				case *ast.ArrayType:
					if sel, ok := typ.Elt.(*ast.SelectorExpr); ok && sel.Sel.Name == "Route" {
						for _, e := range lit.Elts {
							if el, ok := e.(*ast.CompositeLit); ok {
								out = appendRoute(out, id, el)
							}
						}
					}
				}
				return true
			})
		}
	}
	if len(out) < 40 {
		t.Fatalf("found only %d module routes: the parser no longer sees them", len(out))
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// appendRoute adds the route a literal declares, if it names a method
// and a path.
func appendRoute(out []string, plugin string, lit *ast.CompositeLit) []string {
	var method, path string
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, _ := kv.Key.(*ast.Ident)
		val, _ := kv.Value.(*ast.BasicLit)
		if key == nil || val == nil || val.Kind != token.STRING {
			continue
		}
		s, _ := strconv.Unquote(val.Value)
		switch key.Name {
		case "Method":
			method = s
		case "Path":
			path = s
		}
	}
	if method == "" || !strings.HasPrefix(path, "/") {
		return out
	}
	return append(out, method+" /api/v1/t/{tenant}/"+plugin+strings.TrimSuffix(strings.ReplaceAll(path, "{$}", ""), "/"))
}

// documented are the routes docs/api.md names, each as `METHOD /path`
// in backquotes.
func documented(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("api.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("`(GET|POST|PUT|PATCH|DELETE) (/[^`\\s?]*)[^`]*`")
	var out []string
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1]+" "+strings.TrimSuffix(m[2], "/"))
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// TestListRoutes prints every route (go test ./docs -run TestListRoutes -v),
// to start a section of docs/api.md from.
func TestListRoutes(t *testing.T) {
	for _, r := range append(hostRoutes(t), pluginRoutes(t)...) {
		t.Log(r)
	}
}

func TestAPIReferenceCoversEveryRoute(t *testing.T) {
	docs := documented(t)
	routes := append(hostRoutes(t), pluginRoutes(t)...)
	for _, r := range routes {
		if _, found := slices.BinarySearch(docs, r); !found {
			t.Errorf("docs/api.md does not document `%s`", r)
		}
	}
	sort.Strings(routes)
	for _, d := range docs {
		if _, found := slices.BinarySearch(routes, d); !found {
			t.Errorf("docs/api.md documents `%s`, which no route serves", d)
		}
	}
}
