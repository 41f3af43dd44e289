package web

import (
	"net/http"
	"sort"

	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/plugin"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/core/webpage"
)

// consoleHome sends the caller to a dashboard: the tenant asked for by the
// switcher, else the first tenant of the caller's grants; a superadmin of
// an empty deployment goes to the setup wizard.
func (s *Server) consoleHome(q *rq) {
	if t := q.r.URL.Query().Get("tenant"); t != "" {
		if _, _, err := tenancy.ParseCode(t); err == nil {
			http.Redirect(q.w, q.r, "/console/"+t+"/", http.StatusSeeOther)
			return
		}
	}
	db := s.cfg.Host.DB.WithContext(q.r.Context())
	grants, err := rbac.Grants(db, q.id.Username)
	if err != nil {
		s.fail(q, err)
		return
	}
	global := false
	for _, g := range grants {
		if g.Tenant == rbac.Global {
			global = true
			continue
		}
		http.Redirect(q.w, q.r, "/console/"+g.Tenant+"/", http.StatusSeeOther)
		return
	}
	if global {
		for _, lvl := range []tenancy.Level{tenancy.Regency, tenancy.Province, tenancy.District, tenancy.Village} {
			ts, _, err := tenancy.List(db, tenancy.Filter{Level: lvl, Limit: 1})
			if err != nil {
				s.fail(q, err)
				return
			}
			if len(ts) > 0 {
				http.Redirect(q.w, q.r, "/console/"+ts[0].Code+"/", http.StatusSeeOther)
				return
			}
		}
		if s.cfg.Admin.Can(q.actor(), rbac.Global, rbac.TenantsWrite) {
			http.Redirect(q.w, q.r, "/console/setup", http.StatusSeeOther)
			return
		}
	}
	s.errorPage(q, http.StatusForbidden, q.T("err.title"), q.T("err.noaccess"))
}

type dashCount struct {
	Key   string
	Count int
	Href  string
	Kind  string
}

// dashboard is a tenant's home: what needs doing (counts the host knows)
// and the modules' widgets.
func (s *Server) dashboard(q *rq) {
	ctx := q.r.Context()
	code := q.tenant.Code
	a := q.actor()
	var counts []dashCount
	if s.cfg.Runtime != nil && s.cfg.Modules != nil && s.cfg.Admin.Can(a, code, rbac.ModulesRead) {
		n := 0
		for _, in := range s.cfg.Runtime.Instances() {
			if id := in.ID(); id != "" && s.cfg.Modules.Enabled(code, id) {
				n++
			}
		}
		counts = append(counts, dashCount{Key: "dash.modules", Count: n, Href: "/console/" + code + "/admin/modules", Kind: "info"})
	}
	if s.cfg.Runtime != nil && s.cfg.Admin.Can(a, code, rbac.PluginsRead) {
		n := 0
		for _, in := range s.cfg.Runtime.Instances() {
			if in.Info().State != plugin.StateRunning {
				n++
			}
		}
		kind := "success"
		if n > 0 {
			kind = "danger"
		}
		counts = append(counts, dashCount{Key: "dash.problems", Count: n, Href: "/console/" + code + "/admin/plugins", Kind: kind})
	}
	if s.cfg.Admin.Can(a, code, rbac.UsersRead) {
		if n, err := s.usersWithoutGrants(q); err == nil {
			kind := "success"
			if n > 0 {
				kind = "warning"
			}
			counts = append(counts, dashCount{Key: "dash.nogrants", Count: n, Href: "/console/" + code + "/admin/users", Kind: kind})
		} else {
			s.cfg.Logger.Warn("dashboard: users without grants", "err", err)
		}
	}
	var widgets []webpage.Widget
	if s.cfg.Source != nil {
		widgets = s.cfg.Source.Widgets(ctx, code, q.id.Username, q.lang)
	}
	children, _, _ := tenancy.List(s.cfg.Host.DB.WithContext(ctx), tenancy.Filter{Parent: code, Limit: 200})
	s.render(q, http.StatusOK, "dashboard", q.T("dash.title")+" "+q.tenant.Name, map[string]any{
		"Counts": counts, "Widgets": widgets, "Children": children,
	})
}

// usersWithoutGrants counts the users the caller sees whose home is in
// this tenant's subtree (or anywhere, for a global admin) and who hold no
// grant at all: accounts made and then forgotten.
func (s *Server) usersWithoutGrants(q *rq) (int, error) {
	db := s.cfg.Host.DB.WithContext(q.r.Context())
	users, _, err := auth.ListUsers(db, auth.UserFilter{Limit: 1000})
	if err != nil {
		return 0, err
	}
	with, err := rbac.UsersWithGrantsIn(db, []string{rbac.Global})
	if err != nil {
		return 0, err
	}
	has := map[string]bool{}
	for _, u := range with {
		has[u] = true
	}
	n := 0
	for _, u := range users {
		if u.Disabled || has[u.Username] {
			continue
		}
		if u.HomeTenant == "" && !s.cfg.Admin.Can(q.actor(), rbac.Global, rbac.UsersRead) {
			continue
		}
		if u.HomeTenant != "" && !tenancy.Within(u.HomeTenant, q.tenant.Code) && u.HomeTenant != q.tenant.Code {
			continue
		}
		n++
	}
	return n, nil
}

// sortedPerms lists the permission names of the catalogue.
func (s *Server) sortedPerms() []string {
	var out []string
	for _, p := range s.cfg.Host.Authz.Registry().All() {
		out = append(out, p.Name)
	}
	sort.Strings(out)
	return out
}
