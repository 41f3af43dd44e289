package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// waitJob follows an import's progress page until it is finished and
// returns the finished page.
func waitJob(t *testing.T, b *browser, jobURL string) page {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		p := b.get(jobURL)
		if p.Status != http.StatusOK {
			t.Fatalf("%s: %d", jobURL, p.Status)
		}
		if strings.Contains(p.Body, `data-finished="true"`) {
			if strings.Contains(p.Body, `http-equiv="refresh"`) {
				t.Error("a finished job still reloads itself")
			}
			return p
		}
		if !strings.Contains(p.Body, `<meta http-equiv="refresh" content="1">`) {
			t.Fatal("a running job's page does not reload itself")
		}
		if time.Now().After(deadline) {
			t.Fatal("the import did not finish in time")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The first run of a deployment: the superadmin is led through the setup
// wizard (province, regency, import with progress, modules) to the
// regency's dashboard, then creates a village clerk with a grant there.
func TestSetupWizardAndClerk(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.login("admin", adminPassword)
		if p := b.get("/console/"); p.Location() != "/console/setup" {
			t.Fatalf("/console/ to %q, want the wizard", p.Location())
		}
		p := b.get("/console/setup")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, `<option value="14">Riau (14)</option>`) {
			t.Fatalf("wizard: %d %.300s", p.Status, p.Body)
		}
		p = b.get("/console/setup?province=14")
		if !strings.Contains(p.Body, `id="setup-regency"`) || !strings.Contains(p.Body, `value="14.01"`) || strings.Contains(p.Body, `value="11.01"`) {
			t.Fatalf("regencies of Riau: %.300s", p.Body)
		}
		p = b.post("/console/setup", url.Values{"regency": {"14.01"}})
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location(), "/console/jobs/") {
			t.Fatalf("import: %d to %q", p.Status, p.Location())
		}
		job := p.Location()
		// Another user cannot watch the admin's job.
		s.user("other", "other-password-1", "")
		o := s.browser()
		o.login("other", "other-password-1")
		if p := o.get(job); p.Status != http.StatusNotFound {
			t.Errorf("someone else's job: %d", p.Status)
		}
		p = waitJob(t, b, job)
		doc := parse(t, p.Body)
		if e := text(find(doc, "job-error")); e != "" {
			t.Fatalf("import failed: %s", e)
		}
		if created := text(find(doc, "job-created")); created == "" || created == "0" {
			t.Fatalf("import created %q tenants", created)
		}
		next := find(doc, "job-next")
		if next == nil {
			t.Fatal("no way on from the finished import")
		}
		href := ""
		for _, a := range next.Attr {
			if a.Key == "href" {
				href = a.Val
			}
		}
		p = b.get(href)
		if p.Status != http.StatusOK || !strings.Contains(p.Body, `id="setup-modules-form"`) {
			t.Fatalf("modules step %q: %d", href, p.Status)
		}
		p = b.post("/console/setup/modules", url.Values{"regency": {"14.01"}})
		if p.Status != http.StatusSeeOther || p.Location() != "/console/14.01/" {
			t.Fatalf("finish: %d to %q", p.Status, p.Location())
		}
		p = b.get("/console/14.01/")
		if p.Status != http.StatusOK || text(find(parse(t, p.Body), "flash")) == "" || !strings.Contains(p.Body, "14.01.01") {
			t.Fatalf("dashboard after setup: %d %.300s", p.Status, p.Body)
		}
		// The import is audited by core/admin.
		var n int64
		s.p.Host.DB.Table("audit_log").Where("action = ? AND actor = ?", "tenant.import", "admin").Count(&n)
		if n != 1 {
			t.Errorf("%d tenant.import entries by admin, want 1", n)
		}

		// A clerk for one village, with the operator role there.
		village := "/console/14.01.01.1011" // Kelurahan Bangkinang
		p = b.get(village + "/admin/users")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, `id="user-create-form"`) {
			t.Fatalf("users screen: %d", p.Status)
		}
		// A refused form keeps what was typed and says why.
		p = b.post(village+"/admin/users", url.Values{"username": {"clerk"}, "full_name": {"Siti Clerk"}, "password": {"short"}, "role": {"operator"}})
		if p.Status != http.StatusUnprocessableEntity || text(find(parse(t, p.Body), "form-error")) != "Kata sandi minimal 10 karakter dan tidak boleh sama dengan nama pengguna." || !strings.Contains(p.Body, `value="Siti Clerk"`) {
			t.Fatalf("short password: %d %.300s", p.Status, p.Body)
		}
		p = b.post(village+"/admin/users", url.Values{"username": {"clerk"}, "full_name": {"Siti Clerk"}, "password": {"clerk-password-1"}, "role": {"operator"}})
		if p.Status != http.StatusSeeOther || p.Location() != village+"/admin/users/clerk" {
			t.Fatalf("create clerk: %d to %q %.300s", p.Status, p.Location(), p.Body)
		}
		p = b.get(p.Location())
		if got := text(find(parse(t, p.Body), "user-grants")); got != "14.01.01.1011: operator" {
			t.Errorf("clerk's grants %q", got)
		}
		c := s.browser()
		c.login("clerk", "clerk-password-1")
		if p := c.get("/console/"); p.Location() != village+"/" {
			t.Errorf("clerk lands on %q", p.Location())
		}
		if p := c.get(village + "/"); p.Status != http.StatusOK || !strings.Contains(p.Body, "Siti Clerk") {
			t.Errorf("clerk's dashboard: %d", p.Status)
		}
		// The clerk may not manage users.
		if p := c.get(village + "/admin/users"); p.Status != http.StatusForbidden {
			t.Errorf("clerk on the users screen: %d", p.Status)
		}
		if p := c.post(village+"/admin/users", url.Values{"username": {"x"}, "full_name": {"X"}, "password": {"x-password-123"}}); p.Status != http.StatusForbidden {
			t.Errorf("clerk creating a user: %d", p.Status)
		}
	})
}

func TestUserAdministration(t *testing.T) {
	s := shellSite(t)
	s.user("kades", "kades-password-1", "14.01.01.2001", "admin")
	b := s.browser()
	b.login("kades", "kades-password-1")
	base := "/console/14.01.01.2001/admin"
	// The village admin sees its users and administration menu.
	p := b.get(base + "/users")
	if p.Status != http.StatusOK || !strings.Contains(p.Body, ">clerk</a>") {
		t.Fatalf("users: %d %.300s", p.Status, p.Body)
	}
	if adm := text(find(parse(t, p.Body), "admin-menu")); !strings.Contains(adm, "Pengguna") || !strings.Contains(adm, "Jejak audit") {
		t.Errorf("admin menu %q", adm)
	}
	// Disable: the clerk can no longer log in; enable again.
	b.get(base + "/users/clerk")
	if p := b.post(base+"/users/clerk", url.Values{"action": {"disable"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("disable: %d %.300s", p.Status, p.Body)
	}
	c := s.browser()
	c.get("/login")
	if p := c.post("/login", url.Values{"username": {"clerk"}, "password": {"clerk-password-1"}}); p.Status != http.StatusUnauthorized {
		t.Errorf("disabled clerk logs in: %d", p.Status)
	}
	if p := b.post(base+"/users/clerk", url.Values{"action": {"enable"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("enable: %d", p.Status)
	}
	// Reset the password.
	if p := b.post(base+"/users/clerk", url.Values{"action": {"reset"}, "password": {"clerk-password-9"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d %.300s", p.Status, p.Body)
	}
	c.login("clerk", "clerk-password-9")
	// The audit screen shows what happened here.
	p = b.get(base + "/audit?action=user.*")
	doc := parse(t, p.Body)
	if at := text(find(doc, "audit-table")); p.Status != http.StatusOK || !strings.Contains(at, "user.update") && !strings.Contains(at, "user.disable") {
		t.Errorf("audit: %d %q", p.Status, at)
	}
	p = b.get(base + "/audit?actor=nobody")
	if at := text(find(parse(t, p.Body), "audit-table")); strings.Contains(at, "user.") {
		t.Errorf("audit filtered by actor nobody: %q", at)
	}
	p = b.get(base + "/audit?since=2000-01-01&until=2000-01-02")
	if at := text(find(parse(t, p.Body), "audit-table")); strings.Contains(at, "user.") {
		t.Errorf("audit of 2000: %q", at)
	}

	// Grants: give the clerk viewer in the neighbour village? The village
	// admin cannot; in its own village it can change and revoke.
	p = b.get(base + "/grants")
	if !strings.Contains(text(find(parse(t, p.Body), "members-table")), "clerk operator") {
		t.Errorf("members: %q", text(find(parse(t, p.Body), "members-table")))
	}
	if p := b.post(base+"/grants", url.Values{"username": {"clerk"}, "roles": {"operator", "viewer"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("set roles: %d %.300s", p.Status, p.Body)
	}
	if got := text(find(parse(t, b.get(base+"/grants").Body), "members-table")); !strings.Contains(got, "clerk operator, viewer") {
		t.Errorf("members after set: %q", got)
	}
	if p := b.post("/console/14.01.01.2002/admin/grants", url.Values{"username": {"clerk"}, "roles": {"viewer"}}); p.Status != http.StatusForbidden {
		t.Errorf("grant in the neighbour village: %d", p.Status)
	}
	if p := b.post(base+"/grants", url.Values{"username": {"clerk"}, "action": {"remove"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("remove: %d", p.Status)
	}
	if got := text(find(parse(t, b.get(base+"/grants").Body), "members-table")); strings.Contains(got, "clerk") {
		t.Errorf("members after removal: %q", got)
	}

	// Custom roles: create with checked permissions, then delete.
	p = b.get(base + "/roles")
	if !strings.Contains(p.Body, `id="perm-tenants.read"`) {
		t.Fatalf("roles screen: %.300s", p.Body)
	}
	if p := b.post(base+"/roles", url.Values{"name": {"kasi"}, "description": {"Kepala seksi"}, "permissions": {"tenants.read", "audit.read"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("create role: %d %.300s", p.Status, p.Body)
	}
	if got := text(find(parse(t, b.get(base+"/roles").Body), "roles-table")); !strings.Contains(got, "kasi Kepala seksi audit.read, tenants.read 14.01.01.2001") {
		t.Errorf("roles: %q", got)
	}
	if p := b.post(base+"/roles", url.Values{"action": {"delete"}, "name": {"kasi"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("delete role: %d", p.Status)
	}
	if got := text(find(parse(t, b.get(base+"/roles").Body), "roles-table")); strings.Contains(got, "kasi") {
		t.Errorf("roles after delete: %q", got)
	}

	// Plugin health and modules need plugins.read / modules.read: the
	// village admin has them (admin holds everything in its tenant).
	if p := b.get(base + "/plugins"); p.Status != http.StatusOK || find(parse(t, p.Body), "plugins-table") == nil {
		t.Errorf("plugins: %d", p.Status)
	}
	if p := b.get(base + "/modules"); p.Status != http.StatusOK || find(parse(t, p.Body), "modules-table") == nil {
		t.Errorf("modules: %d", p.Status)
	}
	// Region tree: browse; importing is for superadmins only.
	p = b.get("/console/14.01.01/admin/regions")
	if p.Status != http.StatusForbidden {
		t.Errorf("village admin on the district's regions: %d", p.Status)
	}
	if p := b.post(base+"/regions", url.Values{"regency": {"14.02"}}); p.Status != http.StatusForbidden {
		t.Errorf("village admin importing: %d", p.Status)
	}
	a := s.browser()
	a.login("admin", adminPassword)
	p = a.get("/console/14.01/admin/regions")
	if got := text(find(parse(t, p.Body), "regions-table")); !strings.Contains(got, "14.01.01 Bangkinang kecamatan") || find(parse(t, p.Body), "region-import-form") == nil {
		t.Errorf("regions of 14.01: %q", got)
	}
	if p := a.post("/console/14.01/admin/regions", url.Values{"regency": {"14"}}); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "bukan kabupaten/kota") {
		t.Errorf("importing a province code: %d", p.Status)
	}
	// The dashboard counts users without grants for an admin: the clerk,
	// whose grant was revoked above, and a new one.
	s.user("lonely", "lonely-password-1", "14.01.01.2001")
	p = a.get("/console/14.01/")
	if got := text(find(parse(t, p.Body), "dash-counts")); !strings.Contains(got, "2 Pengguna tanpa hak akses") {
		t.Errorf("dashboard counts: %q", got)
	}
}
