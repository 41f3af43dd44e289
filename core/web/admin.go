package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/admin"
	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/plugin"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
)

// pageSize is the length of the host's listings.
const pageSize = 50

// pager is a listing's position.
type pager struct {
	Page, Pages int
	Total       int64
	Prev, Next  string
}

func pageOf(r *http.Request) int {
	p, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || p < 1 {
		return 1
	}
	return p
}

func newPager(r *http.Request, page int, total int64) pager {
	p := pager{Page: page, Total: total, Pages: int((total + pageSize - 1) / pageSize)}
	link := func(n int) string {
		v := r.URL.Query()
		v.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + v.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}

// form parses the host's own form (bounded).
func form(q *rq) url.Values {
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, maxFormBytes)
	_ = q.r.ParseForm()
	return q.r.PostForm
}

// back redirects after a successful POST with a flash.
func (s *Server) back(q *rq, to, kind, msg string) {
	s.setFlash(q, kind, msg)
	http.Redirect(q.w, q.r, to, http.StatusSeeOther)
}

// formError renders a refused operation's message on the form page, or
// the error page for what is not the user's to fix.
func (s *Server) formError(q *rq, err error, again func(msg string)) {
	e, ok := apierr.As(err)
	if !ok || e.Status >= 500 || e.Status == http.StatusForbidden || e.Status == http.StatusTooManyRequests {
		s.fail(q, err)
		return
	}
	again(q.errMsg(e))
}

// errMsg is a refusal's message in the caller's language.
func (q *rq) errMsg(e *apierr.Error) string {
	if m, ok := codeMessages[e.Code]; ok && q.lang == LangID {
		return m
	}
	return e.Message
}

func (s *Server) tenantBase(q *rq) string { return "/console/" + q.tenant.Code }

// ---- users ----

func (s *Server) usersList(q *rq) { s.renderUsers(q, http.StatusOK, "", nil) }

func (s *Server) renderUsers(q *rq, status int, msg string, values url.Values) {
	if err := s.cfg.Admin.Require(q.actor(), q.tenant.Code, rbac.UsersRead); err != nil {
		s.fail(q, err)
		return
	}
	page := pageOf(q.r)
	query := q.r.URL.Query().Get("q")
	users, total, err := s.cfg.Admin.ListUsers(q.r.Context(), q.actor(), auth.UserFilter{Query: query, Offset: (page - 1) * pageSize, Limit: pageSize})
	if err != nil {
		s.fail(q, err)
		return
	}
	roles, _ := s.cfg.Admin.ListRoles(q.r.Context(), q.actor())
	var grantable []string
	for _, r := range roles {
		if r.UsableIn(q.tenant.Code) && r.Name != rbac.RoleSuperadmin {
			grantable = append(grantable, r.Name)
		}
	}
	if values == nil {
		values = url.Values{}
	}
	s.render(q, status, "users", q.T("users.title"), map[string]any{
		"Users": users, "Pager": newPager(q.r, page, total), "Query": query, "Error": msg, "Values": values,
		"Roles": grantable, "CanWrite": s.cfg.Admin.Can(q.actor(), q.tenant.Code, rbac.UsersWrite),
	})
}

// usersCreate creates a user whose home is this tenant, and optionally
// gives it a role here (an operator for a village clerk).
func (s *Server) usersCreate(q *rq) {
	if err := s.cfg.Admin.Require(q.actor(), q.tenant.Code, rbac.UsersWrite); err != nil {
		s.fail(q, err)
		return
	}
	f := form(q)
	ctx := q.r.Context()
	u, err := s.cfg.Admin.CreateUser(ctx, q.actor(), auth.NewUser{
		Username: strings.TrimSpace(f.Get("username")), FullName: strings.TrimSpace(f.Get("full_name")),
		Password: f.Get("password"), Tenant: q.tenant.Code,
	})
	if err != nil {
		f.Del("password")
		s.formError(q, err, func(msg string) { s.renderUsers(q, statusOf(err), msg, f) })
		return
	}
	if role := f.Get("role"); role != "" {
		if _, err := s.cfg.Admin.SetRoles(ctx, q.actor(), q.tenant.Code, u.Username, []string{role}); err != nil {
			msg := errText(err)
			if e, ok := apierr.As(err); ok {
				msg = q.errMsg(e)
			}
			s.back(q, s.tenantBase(q)+"/admin/users/"+url.PathEscape(u.Username), "warning", q.T("users.created")+" "+msg)
			return
		}
	}
	s.back(q, s.tenantBase(q)+"/admin/users/"+url.PathEscape(u.Username), "success", q.T("users.created"))
}

func statusOf(err error) int {
	if e, ok := apierr.As(err); ok {
		return e.Status
	}
	return http.StatusInternalServerError
}

func errText(err error) string {
	if e, ok := apierr.As(err); ok {
		return e.Message
	}
	return "error"
}

func (s *Server) userDetail(q *rq) { s.renderUser(q, http.StatusOK, "") }

func (s *Server) renderUser(q *rq, status int, msg string) {
	if err := s.cfg.Admin.Require(q.actor(), q.tenant.Code, rbac.UsersRead); err != nil {
		s.fail(q, err)
		return
	}
	uv, err := s.cfg.Admin.GetUser(q.r.Context(), q.actor(), q.r.PathValue("username"))
	if err != nil {
		s.fail(q, err)
		return
	}
	s.render(q, status, "user", uv.Username, map[string]any{
		"User": uv, "Error": msg, "Self": uv.Username == q.id.Username,
		"CanWrite": s.cfg.Admin.Can(q.actor(), q.tenant.Code, rbac.UsersWrite),
	})
}

// userUpdate disables, enables or resets the password of a user
// (form field action: disable|enable|reset).
func (s *Server) userUpdate(q *rq) {
	if err := s.cfg.Admin.Require(q.actor(), q.tenant.Code, rbac.UsersWrite); err != nil {
		s.fail(q, err)
		return
	}
	f := form(q)
	name := q.r.PathValue("username")
	var err error
	msg := q.T("common.saved")
	switch f.Get("action") {
	case "disable", "enable":
		off := f.Get("action") == "disable"
		_, err = s.cfg.Admin.UpdateUser(q.r.Context(), q.actor(), name, auth.UserPatch{Disabled: &off})
	case "reset":
		err = s.cfg.Admin.ResetPassword(q.r.Context(), q.actor(), name, f.Get("password"))
		msg = q.T("users.resetdone")
	default:
		err = apierr.Invalid("invalid_action", "unknown action")
	}
	if err != nil {
		s.formError(q, err, func(m string) { s.renderUser(q, statusOf(err), m) })
		return
	}
	s.reload()
	s.back(q, s.tenantBase(q)+"/admin/users/"+url.PathEscape(name), "success", msg)
}

// ---- grants ----

func (s *Server) grantsList(q *rq) { s.renderGrants(q, http.StatusOK, "") }

func (s *Server) renderGrants(q *rq, status int, msg string) {
	if err := s.cfg.Admin.Require(q.actor(), q.tenant.Code, rbac.MembersRead); err != nil {
		s.fail(q, err)
		return
	}
	members, err := rbac.Members(s.cfg.Host.DB.WithContext(q.r.Context()), q.tenant.Code)
	if err != nil {
		s.fail(q, err)
		return
	}
	roles, _ := s.cfg.Admin.ListRoles(q.r.Context(), q.actor())
	var usable []string
	for _, r := range roles {
		if r.UsableIn(q.tenant.Code) {
			usable = append(usable, r.Name)
		}
	}
	s.render(q, status, "grants", q.T("members.title"), map[string]any{
		"Members": members, "Roles": usable, "Error": msg,
		"CanWrite": s.cfg.Admin.Can(q.actor(), q.tenant.Code, rbac.MembersWrite),
	})
}

// grantsPost sets a member's roles here (roles checked) or, with
// action=remove, revokes the membership.
func (s *Server) grantsPost(q *rq) {
	if err := s.cfg.Admin.Require(q.actor(), q.tenant.Code, rbac.MembersWrite); err != nil {
		s.fail(q, err)
		return
	}
	f := form(q)
	user := strings.TrimSpace(f.Get("username"))
	roles := f["roles"]
	msg := q.T("members.set")
	if f.Get("action") == "remove" || len(roles) == 0 {
		roles = nil
		msg = q.T("members.removed")
	}
	if _, err := s.cfg.Admin.SetRoles(q.r.Context(), q.actor(), q.tenant.Code, user, roles); err != nil {
		s.formError(q, err, func(m string) { s.renderGrants(q, statusOf(err), m) })
		return
	}
	s.back(q, s.tenantBase(q)+"/admin/grants", "success", msg)
}

// ---- roles ----

func (s *Server) rolesList(q *rq) { s.renderRoles(q, http.StatusOK, "", nil) }

func (s *Server) renderRoles(q *rq, status int, msg string, values url.Values) {
	if err := s.cfg.Admin.Require(q.actor(), q.tenant.Code, rbac.RolesRead); err != nil {
		s.fail(q, err)
		return
	}
	roles, err := s.cfg.Admin.ListRoles(q.r.Context(), q.actor())
	if err != nil {
		s.fail(q, err)
		return
	}
	if values == nil {
		values = url.Values{}
	}
	s.render(q, status, "roles", q.T("roles.title"), map[string]any{
		"Roles": roles, "Perms": s.cfg.Host.Authz.Registry().All(), "Error": msg, "Values": values,
		"Checked":  values["permissions"],
		"CanWrite": s.cfg.Admin.Can(q.actor(), q.tenant.Code, rbac.RolesWrite),
	})
}

// rolesPost creates a custom role owned by this tenant, or deletes one
// (action=delete).
func (s *Server) rolesPost(q *rq) {
	if err := s.cfg.Admin.Require(q.actor(), q.tenant.Code, rbac.RolesWrite); err != nil {
		s.fail(q, err)
		return
	}
	f := form(q)
	var err error
	msg := q.T("roles.created")
	if f.Get("action") == "delete" {
		err = s.cfg.Admin.DeleteRole(q.r.Context(), q.actor(), f.Get("name"))
		msg = q.T("roles.deleted")
	} else {
		_, err = s.cfg.Admin.CreateRole(q.r.Context(), q.actor(), admin.NewRole{
			Name: strings.TrimSpace(f.Get("name")), Description: strings.TrimSpace(f.Get("description")),
			Permissions: f["permissions"], Tenant: q.tenant.Code,
		})
	}
	if err != nil {
		s.formError(q, err, func(m string) { s.renderRoles(q, statusOf(err), m, f) })
		return
	}
	s.back(q, s.tenantBase(q)+"/admin/roles", "success", msg)
}

// ---- modules ----

type moduleRow struct {
	Plugin, Description, From string
	Enabled, Explicit         bool
	// LockedBy is the tenant above that decided on the module when the
	// viewer may not override it there (plugin.GuardModule); the switches
	// are then shown disabled with the reason.
	LockedBy string
}

func (s *Server) modulesList(q *rq) {
	if err := s.cfg.Admin.Require(q.actor(), q.tenant.Code, rbac.ModulesRead); err != nil {
		s.fail(q, err)
		return
	}
	s.render(q, http.StatusOK, "modules", q.T("modules.title"), map[string]any{
		"Modules": s.moduleRows(q, q.tenant.Code), "CanWrite": s.cfg.Admin.Can(q.actor(), q.tenant.Code, rbac.ModulesWrite),
	})
}

func (s *Server) moduleRows(q *rq, tenant string) []moduleRow {
	var rows []moduleRow
	if s.cfg.Runtime == nil || s.cfg.Modules == nil {
		return rows
	}
	for _, in := range s.cfg.Runtime.Instances() {
		info := in.Info()
		if info.ID == "" {
			continue
		}
		res := s.cfg.Modules.Resolve(tenant, info.ID)
		row := moduleRow{Plugin: info.ID, Description: info.Description, Enabled: res.Enabled, From: res.From, Explicit: res.From == tenant}
		if above := s.cfg.Modules.Above(tenant, info.ID); above.From != "" && !s.cfg.Admin.Can(q.actor(), above.From, rbac.ModulesWrite) {
			row.LockedBy = plugin.TenantLabel(s.cfg.Host.DB.WithContext(q.r.Context()), above.From)
		}
		rows = append(rows, row)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Plugin < rows[j].Plugin })
	return rows
}

// modulesPost enables, disables or clears (inherit) a module here, through
// plugin.SetModule: the one implementation the API and the CLI use.
func (s *Server) modulesPost(q *rq) {
	f := form(q)
	if err := s.setModule(q, q.tenant.Code, f.Get("plugin"), f.Get("action")); err != nil {
		if e, ok := apierr.As(err); ok && e.Code == plugin.CodeModuleSetAbove {
			// The page says who decided, in the viewer's language, as the
			// disabled switch does.
			msg := q.T("modules.locked")
			for _, r := range s.moduleRows(q, q.tenant.Code) {
				if r.Plugin == f.Get("plugin") && r.LockedBy != "" {
					msg += " " + r.LockedBy
				}
			}
			s.errorPage(q, http.StatusForbidden, q.T("err.title"), msg)
			return
		}
		s.fail(q, err)
		return
	}
	s.back(q, s.tenantBase(q)+"/admin/modules", "success", q.T("modules.changed"))
}

func (s *Server) setModule(q *rq, tenant, id, action string) error {
	if err := s.cfg.Admin.Require(q.actor(), tenant, rbac.ModulesWrite); err != nil {
		return err
	}
	if s.cfg.Runtime == nil {
		return apierr.NotFound("plugin_not_found", "no plugin %s is loaded", id)
	}
	if _, ok := s.cfg.Runtime.Get(id); !ok {
		return apierr.NotFound("plugin_not_found", "no plugin %s is loaded", id)
	}
	var enabled *bool
	switch action {
	case "enable", "disable":
		v := action == "enable"
		enabled = &v
	case "inherit":
	default:
		return apierr.Invalid("invalid_action", "unknown action")
	}
	manages := func(t string) bool { return s.cfg.Admin.Can(q.actor(), t, rbac.ModulesWrite) }
	err := s.cfg.Host.DB.WithContext(q.r.Context()).Transaction(func(tx *gorm.DB) error {
		if err := plugin.GuardModule(tx, manages, tenant, id); err != nil {
			return err
		}
		return plugin.SetModule(tx, q.who(), tenant, id, enabled)
	})
	if err != nil {
		return err
	}
	s.reload()
	return nil
}

// ---- audit ----

func (s *Server) auditList(q *rq) {
	ctx := q.r.Context()
	if err := s.cfg.Admin.Require(q.actor(), q.tenant.Code, rbac.AuditRead); err != nil {
		s.fail(q, err)
		return
	}
	scopes, err := s.cfg.Admin.RequireSomewhere(ctx, q.actor(), rbac.AuditRead)
	if err != nil {
		s.fail(q, err)
		return
	}
	v := q.r.URL.Query()
	page := pageOf(q.r)
	f := audit.Filter{Actor: v.Get("actor"), Action: v.Get("action"), Tenant: v.Get("tenant"), Scopes: scopes,
		Offset: (page - 1) * pageSize, Limit: pageSize}
	if !v.Has("tenant") {
		f.Tenant = q.tenant.Code
	}
	msg := ""
	for name, dst := range map[string]*time.Time{"since": &f.Since, "until": &f.Until} {
		if s := v.Get(name); s != "" {
			t, err := time.Parse("2006-01-02", s)
			if err != nil {
				msg = name + ": YYYY-MM-DD"
				continue
			}
			if name == "until" {
				t = t.Add(24 * time.Hour) // the whole day
			}
			*dst = t
		}
	}
	entries, total, err := audit.List(s.cfg.Host.DB.WithContext(ctx), f)
	if err != nil {
		s.fail(q, err)
		return
	}
	s.render(q, http.StatusOK, "audit", q.T("audit.title"), map[string]any{
		"Entries": entries, "Pager": newPager(q.r, page, total), "Filter": v, "Tenant": f.Tenant, "Error": msg,
	})
}

// ---- plugins ----

func (s *Server) pluginsList(q *rq) {
	if err := s.cfg.Admin.Require(q.actor(), q.tenant.Code, rbac.PluginsRead); err != nil {
		s.fail(q, err)
		return
	}
	var infos []plugin.Info
	if s.cfg.Runtime != nil {
		for _, in := range s.cfg.Runtime.Instances() {
			infos = append(infos, in.Info())
		}
	}
	s.render(q, http.StatusOK, "plugins", q.T("plugins.title"), map[string]any{"Plugins": infos})
}

// ---- regions ----

func (s *Server) regionsList(q *rq) {
	if err := s.cfg.Admin.Require(q.actor(), q.tenant.Code, rbac.TenantsRead); err != nil {
		s.fail(q, err)
		return
	}
	page := pageOf(q.r)
	children, total, err := tenancy.List(s.cfg.Host.DB.WithContext(q.r.Context()), tenancy.Filter{Parent: q.tenant.Code, Offset: (page - 1) * pageSize, Limit: pageSize})
	if err != nil {
		s.fail(q, err)
		return
	}
	canImport := s.cfg.Admin.Can(q.actor(), rbac.Global, rbac.TenantsWrite)
	s.render(q, http.StatusOK, "regions", q.T("regions.title"), map[string]any{
		"Children": children, "Pager": newPager(q.r, page, total), "CanImport": canImport,
	})
}

// regionsImport starts importing a regency from the embedded list.
func (s *Server) regionsImport(q *rq) {
	f := form(q)
	id, err := s.startImport(q, strings.TrimSpace(f.Get("regency")), s.tenantBase(q)+"/admin/regions")
	if err != nil {
		s.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/console/jobs/"+id, http.StatusSeeOther)
}
