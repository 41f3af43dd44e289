package api

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
)

// tenantView is the documented tenant shape.
type tenantView struct {
	Code   string        `json:"code"`
	Name   string        `json:"name"`
	Level  tenancy.Level `json:"level"`
	Parent *string       `json:"parent"`
}

func viewTenant(t *tenancy.Tenant) tenantView {
	return tenantView{Code: t.Code, Name: t.Name, Level: t.Level, Parent: t.Parent}
}

func (s *Server) listTenants(w http.ResponseWriter, r *http.Request) {
	page, err := parsePage(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	f := tenancy.Filter{Parent: q.Get("parent"), Level: tenancy.Level(q.Get("level")), Query: q.Get("q"), Offset: page.Offset(), Limit: page.Limit}
	db := s.db(r)
	if f.Parent != "" {
		if _, _, err := tenancy.ParseCode(f.Parent); err != nil {
			WriteError(w, r, err)
			return
		}
		if err := s.Authorize(r, f.Parent, rbac.TenantsRead); err != nil {
			WriteError(w, r, err)
			return
		}
	} else {
		scopes, err := s.admin.Scopes(r.Context(), actor(r), rbac.TenantsRead)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		f.Scopes = scopes
	}
	switch f.Level {
	case "", tenancy.Province, tenancy.Regency, tenancy.District, tenancy.Village:
	default:
		WriteError(w, r, apierr.BadRequest("invalid_level", "level must be province, regency, district or village"))
		return
	}
	items, total, err := tenancy.List(db, f)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	out := make([]tenantView, len(items))
	for i := range items {
		out[i] = viewTenant(&items[i])
	}
	writeJSON(w, http.StatusOK, List[tenantView]{Items: out, Total: total})
}

type createTenantRequest struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func (s *Server) createTenant(w http.ResponseWriter, r *http.Request) {
	var req createTenantRequest
	if err := decode(r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	t, err := s.admin.CreateTenant(r.Context(), actor(r), req.Code, req.Name)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, viewTenant(t))
}

// tenantFromPath validates {code} and checks perm in it.
func (s *Server) tenantFromPath(r *http.Request, perm string) (string, error) {
	code := mux.Vars(r)["code"]
	if _, _, err := tenancy.ParseCode(code); err != nil {
		return "", err
	}
	return code, s.Authorize(r, code, perm)
}

func (s *Server) getTenant(w http.ResponseWriter, r *http.Request) {
	code, err := s.tenantFromPath(r, rbac.TenantsRead)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	t, err := tenancy.Get(s.db(r), code)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewTenant(t))
}

type renameTenantRequest struct {
	Name string `json:"name"`
}

func (s *Server) renameTenant(w http.ResponseWriter, r *http.Request) {
	var req renameTenantRequest
	if err := decode(r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	t, err := s.admin.RenameTenant(r.Context(), actor(r), mux.Vars(r)["code"], req.Name)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewTenant(t))
}

// deleteTenant deletes a tenant without children. One holding data is
// refused (409 tenant_has_data) unless ?purge=true, which erases it with
// the tenant (admin.DeleteTenant).
func (s *Server) deleteTenant(w http.ResponseWriter, r *http.Request) {
	purge := false
	switch v := r.URL.Query().Get("purge"); v {
	case "", "false":
	case "true":
		purge = true
	default:
		WriteError(w, r, apierr.BadRequest("invalid_purge", "purge must be true or false, not %q", v))
		return
	}
	if _, err := s.admin.DeleteTenant(r.Context(), actor(r), mux.Vars(r)["code"], purge); err != nil {
		WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) reloadPolicy(r *http.Request) {
	if err := s.h.Authz.Reload(); err != nil {
		logger(r).Error("reloading policy", "err", err)
	}
}

// memberDomain reads {code} of a members route: a tenant code, or * for
// deployment-wide grants.
func memberDomain(r *http.Request) (string, error) {
	code := mux.Vars(r)["code"]
	if code == rbac.Global {
		return code, nil
	}
	_, _, err := tenancy.ParseCode(code)
	return code, err
}

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) {
	code, err := memberDomain(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if err := s.Authorize(r, code, rbac.MembersRead); err != nil {
		WriteError(w, r, err)
		return
	}
	ms, err := rbac.Members(s.db(r), code)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, List[rbac.Member]{Items: ms, Total: int64(len(ms))})
}

type setMemberRequest struct {
	Roles []string `json:"roles"`
}

type memberView struct {
	Tenant   string   `json:"tenant"`
	Username string   `json:"username"`
	Roles    []string `json:"roles"`
}

// setMember replaces the roles a user holds in a tenant. The actor must be
// able to grant every role given and every role taken away, so no one can
// hand out, or strip, more than they hold.
func (s *Server) setMember(w http.ResponseWriter, r *http.Request) {
	code, err := memberDomain(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	var req setMemberRequest
	if err := decode(r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	if len(req.Roles) == 0 {
		WriteError(w, r, apierr.Invalid("invalid_roles", "give at least one role; DELETE the membership to remove all"))
		return
	}
	s.changeMember(w, r, code, req.Roles, http.StatusOK)
}

func (s *Server) removeMember(w http.ResponseWriter, r *http.Request) {
	code, err := memberDomain(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.changeMember(w, r, code, nil, http.StatusNoContent)
}

func (s *Server) changeMember(w http.ResponseWriter, r *http.Request, code string, roles []string, status int) {
	username := mux.Vars(r)["username"]
	if _, err := s.admin.SetRoles(r.Context(), actor(r), code, username, roles); err != nil {
		WriteError(w, r, err)
		return
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, memberView{Tenant: code, Username: username, Roles: dedupeSorted(roles)})
}

func dedupeSorted(in []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
