package pluginv1

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestValidateManifest(t *testing.T) {
	base := func() *Manifest {
		return &Manifest{
			Id: "shop", Version: "1.0.0",
			Permissions: []*Permission{{Name: "shop.items.read", Roles: []string{"viewer"}}, {Name: "shop.items.write"}},
			Routes: []*Route{
				{Method: "GET", Path: "/items", Permission: "shop.items.read"},
				{Method: "GET", Path: "/items/{id}", Permission: "shop.items.read"},
				{Method: "POST", Path: "/items/{id}", Permission: "shop.items.write"},
				{Method: "GET", Path: "/items/special", Public: true}, // more specific than /items/{id}: fine
				{Method: "GET", Path: "/files/{path...}", Public: true},
			},
			Collections: []*Collection{{Name: "items", Fields: []*Field{{Name: "name", Type: FieldType_FIELD_TYPE_STRING}}}},
			Publishes:   []string{"shop.item_sold"},
			Uses:        []string{"population.residents.read"},
		}
	}
	route := func(method, path string) func(m *Manifest) {
		return func(m *Manifest) {
			m.Routes = append(m.Routes, &Route{Method: method, Path: path, Permission: "shop.items.read"})
		}
	}
	page := func(method, path string, menu *MenuEntry) func(m *Manifest) {
		return func(m *Manifest) {
			m.Routes = append(m.Routes, &Route{Method: method, Path: path, Permission: "shop.items.read", Page: true, Menu: menu})
		}
	}
	many := func(n int, f func(m *Manifest, i int)) func(m *Manifest) {
		return func(m *Manifest) {
			for i := range n {
				f(m, i)
			}
		}
	}
	cases := []struct {
		name   string
		change func(m *Manifest)
		want   string // "" for valid
	}{
		{"valid", func(*Manifest) {}, ""},
		{"page with the path of an API route", page("GET", "/items", nil), ""},
		{"page with a menu entry", page("GET", "/list", &MenuEntry{Label: "Barang", LabelEn: "Items", Icon: "box", Order: 2}), ""},
		{"page POST", page("POST", "/items/{id}", nil), ""},
		{"page PUT", page("PUT", "/items/{id}", nil), "page PUT /items/{id}: method must be GET or POST"},
		{"page twice", func(m *Manifest) { page("GET", "/x", nil)(m); page("GET", "/x", nil)(m) }, "page GET /x is declared twice"},
		{"pages differing by wildcard names", func(m *Manifest) { page("GET", "/x/{a}", nil)(m); page("GET", "/x/{b}", nil)(m) }, "pages GET /x/{a} and GET /x/{b} differ only by wildcard names"},
		{"page without permission", func(m *Manifest) {
			m.Routes = append(m.Routes, &Route{Method: "GET", Path: "/p", Page: true})
		}, "page GET /p: give a permission or mark it public"},
		{"public page", func(m *Manifest) {
			m.Routes = append(m.Routes, &Route{Method: "GET", Path: "/p", Page: true, Public: true})
		}, ""},
		{"menu on a wildcard page", page("GET", "/items/{id}", &MenuEntry{Label: "Barang"}), "a menu entry needs a console GET page of a fixed path"},
		{"menu on a POST page", page("POST", "/items", &MenuEntry{Label: "Barang"}), "a menu entry needs a console GET page"},
		{"menu without label", page("GET", "/list", &MenuEntry{}), "menu label must be 1 to 40 characters"},
		{"menu label too long", page("GET", "/list", &MenuEntry{Label: strings.Repeat("é", 41)}), "menu label must be 1 to 40 characters"},
		{"menu label of 40 letters", page("GET", "/list", &MenuEntry{Label: strings.Repeat("é", 40)}), ""},
		{"menu English label too long", page("GET", "/list", &MenuEntry{Label: "a", LabelEn: strings.Repeat("a", 41)}), "menu label (English)"},
		{"menu icon", page("GET", "/list", &MenuEntry{Label: "a", Icon: "<svg>"}), "menu icon must be"},
		{"menu on public page", func(m *Manifest) {
			m.Routes = append(m.Routes, &Route{Method: "GET", Path: "/p", Page: true, Public: true, Menu: &MenuEntry{Label: "a"}})
		}, "a menu entry needs a console GET page"},
		{"menu on API route", func(m *Manifest) { m.Routes[0].Menu = &MenuEntry{Label: "a"} }, "only a page can have a menu entry"},
		{"widget on API route", func(m *Manifest) { m.Routes[0].Widget = true }, "only a page can have a menu entry or be a widget"},
		{"widget page", func(m *Manifest) {
			m.Routes = append(m.Routes, &Route{Method: "GET", Path: "/w", Page: true, Permission: "shop.items.read", Widget: true})
		}, ""},
		{"widget with wildcard", func(m *Manifest) {
			m.Routes = append(m.Routes, &Route{Method: "GET", Path: "/w/{id}", Page: true, Permission: "shop.items.read", Widget: true})
		}, "a widget needs a GET page of a fixed path"},
		{"public widget page", func(m *Manifest) {
			m.Routes = append(m.Routes, &Route{Method: "GET", Path: "/summary", Page: true, Public: true, Widget: true})
		}, ""},
		{"public widget on a POST page", func(m *Manifest) {
			m.Routes = append(m.Routes, &Route{Method: "POST", Path: "/summary", Page: true, Public: true, Widget: true})
		}, "a widget needs a GET page of a fixed path"},
		{"the host's id users", func(m *Manifest) {
			m.Id = "users"
			m.Permissions = []*Permission{{Name: "users.write", Roles: []string{"viewer"}}}
			m.Routes = []*Route{{Method: "GET", Path: "/x", Permission: "users.write"}}
			m.Publishes, m.Collections = nil, nil
		}, `id "users" is reserved for the host`},
		{"the host's audit action prefix user", func(m *Manifest) { m.Id = "user" }, `id "user" is reserved`},
		{"wildcards differing only by name", route("GET", "/items/{code}"), "routes GET /items/{id} and GET /items/{code} differ only by wildcard names"},
		{"rest wildcards differing only by name", route("GET", "/files/{rest...}"), "differ only by wildcard names"},
		{"same path other method is fine", route("DELETE", "/items/{code}"), ""},
		{"end anchor is no wildcard", func(m *Manifest) {
			route("GET", "/dir/{$}")(m)
			route("GET", "/dir/{name}")(m)
		}, ""},
		{"neither more specific", func(m *Manifest) {
			route("GET", "/a/{x}")(m)
			route("GET", "/{y}/b")(m)
		}, "route GET /{y}/b cannot be served"},
		{"wildcard named twice", route("GET", "/x/{id}/{id}"), "cannot be served"},
		{"bad wildcard", route("GET", "/x/{id"), "cannot be served"},
		{"space in path", route("GET", "/x y"), "hold no spaces"},
		{"declared twice", route("GET", "/items"), "route GET /items is declared twice"},
		{"path too long", route("GET", "/"+strings.Repeat("a", 600)), "at most 512 bytes"},
		{"huge body limit", func(m *Manifest) { m.Routes[0].MaxBodyBytes = 1 << 40 }, "max body bytes"},
		{"too many routes", many(1001, func(m *Manifest, i int) { route("GET", fmt.Sprintf("/r%d", i))(m) }), "at most 1000 routes"},
		{"too many fields", many(501, func(m *Manifest, i int) {
			m.Collections[0].Fields = append(m.Collections[0].Fields, &Field{Name: fmt.Sprintf("f%d", i), Type: FieldType_FIELD_TYPE_INT})
		}), "at most 500 fields"},
		{"field name too long for a column", func(m *Manifest) {
			m.Collections[0].Fields = append(m.Collections[0].Fields, &Field{Name: strings.Repeat("a", 62), Type: FieldType_FIELD_TYPE_INT})
		}, "must be at most 61 characters"},
		{"huge description", func(m *Manifest) { m.Description = strings.Repeat("x", 5000) }, "description at most"},
		{"uses own permission", func(m *Manifest) { m.Uses = append(m.Uses, "shop.items.read") }, "holds its own permissions"},
		{"uses not a permission", func(m *Manifest) { m.Uses = append(m.Uses, "population") }, `uses "population" must be another plugin's permission`},
		{"uses twice", func(m *Manifest) { m.Uses = append(m.Uses, "population.residents.read") }, "listed twice"},
		{"uses with a bad plugin id", func(m *Manifest) { m.Uses = append(m.Uses, "9x.a.b") }, "must be another plugin's permission"},
		{"permission of another plugin", func(m *Manifest) {
			m.Permissions = append(m.Permissions, &Permission{Name: "shop_verify.items.read"})
		}, "must be named shop.<object>.<action>"},
		{"long permission name", func(m *Manifest) {
			m.Permissions = append(m.Permissions, &Permission{Name: "shop.items." + strings.Repeat("a", 200)})
		}, "must be named shop.<object>.<action>"},
		{"long event name", func(m *Manifest) { m.Consumes = append(m.Consumes, "shop."+strings.Repeat("a", 200)) }, "must be dotted lower-case words"},
		{"personal field without its permission", func(m *Manifest) {
			m.Collections[0].Fields = append(m.Collections[0].Fields, &Field{Name: "nik", Type: FieldType_FIELD_TYPE_STRING, Personal: true})
		}, "collection items has personal fields"},
		{"personal field with its permission", func(m *Manifest) {
			m.Collections[0].Fields = append(m.Collections[0].Fields, &Field{Name: "nik", Type: FieldType_FIELD_TYPE_STRING, Personal: true})
			m.Collections[0].PersonalPermission = "shop.items.write"
		}, ""},
		{"personal permission undeclared", func(m *Manifest) {
			m.Collections[0].Fields = append(m.Collections[0].Fields, &Field{Name: "nik", Type: FieldType_FIELD_TYPE_STRING, Personal: true})
			m.Collections[0].PersonalPermission = "shop.items.reveal"
		}, "personal permission shop.items.reveal is not declared"},
		{"pseudo-field declared", func(m *Manifest) {
			m.Collections[0].Fields = append(m.Collections[0].Fields, &Field{Name: "created_at", Type: FieldType_FIELD_TYPE_TIME})
		}, "not one of id, tenant, version, created_at, updated_at"},
		{"event of another plugin", func(m *Manifest) { m.Publishes = append(m.Publishes, "shopx.item_sold") }, "must start with shop."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := base()
			c.change(m)
			err := ValidateManifest(m)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused a valid manifest: %v", err)
			case c.want != "" && err == nil:
				t.Fatalf("accepted; want an error with %q", c.want)
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Fatalf("error %q lacks %q", err, c.want)
			}
		})
	}
}

// Every manifest ValidateManifest accepts can be routed by the host: its
// patterns register in one net/http.ServeMux without a panic.
func TestValidRoutesRegister(t *testing.T) {
	paths := []string{"/a", "/a/{x}", "/a/b", "/{x}", "/{x}/b", "/a/{x...}", "/a/{$}", "/b/{x}/{y}", "/b/{y}/{x}", "/{x}/{y}"}
	for _, m1 := range []string{"GET", "POST"} {
		for _, p1 := range paths {
			for _, p2 := range paths {
				m := &Manifest{Id: "shop", Version: "1", Routes: []*Route{{Method: m1, Path: p1, Public: true}, {Method: "GET", Path: p2, Public: true}}}
				if err := ValidateManifest(m); err != nil {
					// Refused: ServeMux must refuse the pair too.
					if p1 != p2 || m1 != "GET" {
						if tryRegisterBoth(m1+" "+p1, "GET "+p2) {
							t.Errorf("%s %s and GET %s refused though ServeMux takes them: %v", m1, p1, p2, err)
						}
					}
					continue
				}
				func() {
					defer func() {
						if p := recover(); p != nil {
							t.Errorf("%s %s and GET %s passed validation but the host's mux panics: %v", m1, p1, p2, p)
						}
					}()
					mux := http.NewServeMux()
					for _, r := range m.Routes {
						mux.Handle(r.Method+" "+r.Path, http.NotFoundHandler())
					}
				}()
			}
		}
	}
}

// tryRegisterBoth reports whether ServeMux takes both patterns.
func tryRegisterBoth(a, b string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	mux := http.NewServeMux()
	mux.Handle(a, http.NotFoundHandler())
	mux.Handle(b, http.NotFoundHandler())
	return true
}
