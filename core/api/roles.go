package api

import (
	"net/http"
	"time"

	"github.com/balaidesa/balai/core/admin"
	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/gorilla/mux"
)

// requireSomewhere checks that the caller holds perm, within its token's
// limit, in at least one tenant, and returns where.
func (s *Server) requireSomewhere(r *http.Request, perm string) ([]string, error) {
	return s.admin.RequireSomewhere(r.Context(), actor(r), perm)
}

// listRoles lists the roles the caller may see: global ones and those owned
// by tenants that overlap where it holds roles.read.
func (s *Server) listRoles(w http.ResponseWriter, r *http.Request) {
	roles, err := s.admin.ListRoles(r.Context(), actor(r))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, List[rbac.Role]{Items: roles, Total: int64(len(roles))})
}

func (s *Server) getRole(w http.ResponseWriter, r *http.Request) {
	role, err := s.admin.GetRole(r.Context(), actor(r), mux.Vars(r)["name"])
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, role)
}

// createRole adds a custom role {"name","description","permissions"} owned
// by "tenant" (optional: the caller's one roles.write tenant, or global for
// a superadmin).
func (s *Server) createRole(w http.ResponseWriter, r *http.Request) {
	var req admin.NewRole
	if err := decode(r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	role, err := s.admin.CreateRole(r.Context(), actor(r), req)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, role)
}

func (s *Server) deleteRole(w http.ResponseWriter, r *http.Request) {
	if err := s.admin.DeleteRole(r.Context(), actor(r), mux.Vars(r)["name"]); err != nil {
		WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listPermissions(w http.ResponseWriter, r *http.Request) {
	if _, err := s.requireSomewhere(r, rbac.RolesRead); err != nil {
		WriteError(w, r, err)
		return
	}
	ps := s.h.Authz.Registry().All()
	writeJSON(w, http.StatusOK, List[rbac.Permission]{Items: ps, Total: int64(len(ps))})
}

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) {
	page, err := parsePage(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	scopes, err := s.requireSomewhere(r, rbac.AuditRead)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	f := audit.Filter{Actor: q.Get("actor"), Action: q.Get("action"), Tenant: q.Get("tenant"), Scopes: scopes, Offset: page.Offset(), Limit: page.Limit}
	for name, dst := range map[string]*time.Time{"since": &f.Since, "until": &f.Until} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				WriteError(w, r, apierr.BadRequest("invalid_time", "%s must be an RFC 3339 time such as 2026-11-24T08:00:00Z", name))
				return
			}
			*dst = t
		}
	}
	items, total, err := audit.List(s.db(r), f)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, List[audit.Entry]{Items: items, Total: total})
}
