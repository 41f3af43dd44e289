package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/balaidesa/balai/core/admin"
)

// Every screen is well-formed for assistive technology: lang set, one h1,
// unique ids, and a label for every visible form control.
func TestScreensAccessible(t *testing.T) {
	s := shellSite(t)
	b := s.browser()
	b.login("admin", adminPassword)
	u := "/console/14.01.01.2001"
	screens := []string{
		"/console/account", "/console/setup", "/console/setup?province=14", "/logout",
		u + "/", u + "/admin/users", u + "/admin/users/clerk", u + "/admin/grants", u + "/admin/roles",
		u + "/admin/modules", u + "/admin/audit", u + "/admin/plugins", u + "/admin/regions",
		u + "/m/hello/items", u + "/m/hello/forbidden", "/14.01.01.2001/hello/items", "/console/nosuch/x",
	}
	for _, path := range screens {
		p := b.get(path)
		if p.Status >= 500 || p.Status == http.StatusSeeOther {
			t.Errorf("%s: %d", path, p.Status)
			continue
		}
		checkAccessible(t, path, p.Body)
	}
	anon := s.browser()
	checkAccessible(t, "/login", anon.get("/login").Body)
	anon.get("/console/lang?l=en&next=/login")
	p := anon.get("/login")
	if !strings.Contains(p.Body, `<html lang="en">`) || !strings.Contains(p.Body, "Log in to Balai") {
		t.Errorf("English login: %.300s", p.Body)
	}
}

func checkAccessible(t *testing.T, path, body string) {
	t.Helper()
	doc := parse(t, body)
	ids := map[string]int{}
	labels := map[string]bool{}
	var controls []*html.Node
	h1, lang := 0, ""
	var walk func(n *html.Node, inLabel bool)
	walk = func(n *html.Node, inLabel bool) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			if id := attr["id"]; id != "" {
				ids[id]++
			}
			switch n.Data {
			case "html":
				lang = attr["lang"]
			case "h1":
				h1++
			case "label":
				labels[attr["for"]] = true
				inLabel = true
			case "input", "select", "textarea":
				typ := attr["type"]
				if typ != "hidden" && typ != "submit" && !inLabel {
					controls = append(controls, n)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLabel)
		}
	}
	walk(doc, false)
	if lang != "id" && lang != "en" {
		t.Errorf("%s: <html lang=%q>", path, lang)
	}
	if h1 != 1 {
		t.Errorf("%s: %d h1 elements", path, h1)
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("%s: id %q used %d times", path, id, n)
		}
	}
	for _, c := range controls {
		id := ""
		for _, a := range c.Attr {
			if a.Key == "id" {
				id = a.Val
			}
		}
		if id == "" || !labels[id] {
			t.Errorf("%s: <%s name=%q> has no label", path, c.Data, attrOf(c, "name"))
		}
	}
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// A user without any grant is told so; a non-superadmin cannot open the
// setup wizard.
func TestNoAccess(t *testing.T) {
	s := shellSite(t)
	s.user("nobody", "nobody-password-1", "")
	b := s.browser()
	b.login("nobody", "nobody-password-1")
	p := b.get("/console/")
	if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "belum punya hak akses") {
		t.Errorf("/console/ without grants: %d", p.Status)
	}
	c := s.browser()
	c.login("clerk", "clerk-password-1")
	if p := c.get("/console/setup"); p.Status != http.StatusForbidden {
		t.Errorf("clerk on the wizard: %d", p.Status)
	}
	if p := c.post("/console/setup", url.Values{"regency": {"14.02"}}); p.Status != http.StatusForbidden {
		t.Errorf("clerk importing: %d", p.Status)
	}
	// A custom role without tenants.read still opens the tenant (its
	// module pages are the runtime's to check), and only its own screens.
	if _, err := s.p.API.Admin().CreateRole(context.Background(), s.operator(), admin.NewRole{Name: "auditor", Permissions: []string{"audit.read"}, Tenant: "14.01.01.2001"}); err != nil {
		t.Fatal(err)
	}
	s.user("auditor1", "auditor-password-1", "14.01.01.2001", "auditor")
	a := s.browser()
	a.login("auditor1", "auditor-password-1")
	if p := a.get("/console/14.01.01.2001/"); p.Status != http.StatusOK {
		t.Errorf("custom role's dashboard: %d", p.Status)
	}
	if p := a.get("/console/14.01.01.2001/m/hello/items"); p.Status != http.StatusOK {
		t.Errorf("custom role's module page: %d", p.Status)
	}
	if p := a.get("/console/14.01.01.2001/admin/audit"); p.Status != http.StatusOK {
		t.Errorf("custom role's audit: %d", p.Status)
	}
	for _, screen := range []string{"users", "grants", "roles", "modules", "plugins", "regions"} {
		if p := a.get("/console/14.01.01.2001/admin/" + screen); p.Status != http.StatusForbidden {
			t.Errorf("auditor on %s: %d", screen, p.Status)
		}
	}
	if p := a.get("/console/14.01.01.2002/"); p.Status != http.StatusForbidden {
		t.Errorf("auditor in the neighbour village: %d", p.Status)
	}
	// An oversized host form is refused before anything reads it whole.
	big := url.Values{"current_password": {strings.Repeat("x", 2<<20)}}
	if p := c.post("/console/account", big); p.Status != http.StatusForbidden && p.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB form: %d", p.Status)
	}
}
