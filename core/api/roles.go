package api

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/rbac"
)

// requireSomewhere checks that the caller holds perm in at least one tenant.
func (s *Server) requireSomewhere(r *http.Request, perm string) ([]string, error) {
	scopes, err := s.h.Authz.Scopes(s.db(r), Caller(r.Context()).Username, perm)
	if err != nil {
		return nil, err
	}
	if len(scopes) == 0 {
		return nil, apierr.Forbidden("you do not have %s in any tenant", perm)
	}
	return scopes, nil
}

func (s *Server) listRoles(w http.ResponseWriter, r *http.Request) {
	if _, err := s.requireSomewhere(r, rbac.RolesRead); err != nil {
		WriteError(w, r, err)
		return
	}
	roles, err := s.h.Authz.Roles(s.db(r))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, List[rbac.Role]{Items: roles, Total: int64(len(roles))})
}

func (s *Server) getRole(w http.ResponseWriter, r *http.Request) {
	if _, err := s.requireSomewhere(r, rbac.RolesRead); err != nil {
		WriteError(w, r, err)
		return
	}
	role, err := s.h.Authz.Role(s.db(r), mux.Vars(r)["name"])
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, role)
}

type createRoleRequest struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Permissions []string `json:"permissions"`
}

// createRole adds a custom role. The actor must itself hold each of the
// role's permissions in some tenant, so a role can never carry more than its
// author could do.
func (s *Server) createRole(w http.ResponseWriter, r *http.Request) {
	var req createRoleRequest
	if err := decode(r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	if _, err := s.requireSomewhere(r, rbac.RolesWrite); err != nil {
		WriteError(w, r, err)
		return
	}
	if err := s.h.Authz.CheckRole(req.Name, req.Permissions); err != nil {
		WriteError(w, r, err)
		return
	}
	for _, p := range req.Permissions {
		if _, err := s.requireSomewhere(r, p); err != nil {
			WriteError(w, r, apierr.Forbidden("you cannot create a role with %s: you do not hold it", p))
			return
		}
	}
	var role *rbac.Role
	err := s.db(r).Transaction(func(tx *gorm.DB) error {
		var err error
		if role, err = s.h.Authz.CreateRole(tx, req.Name, req.Description, Caller(r.Context()).Username, req.Permissions); err != nil {
			return err
		}
		return audit.Record(tx, who(r), "", "role.create", role.Name, map[string]any{"permissions": role.Permissions})
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.reloadPolicy(r)
	writeJSON(w, http.StatusCreated, role)
}

func (s *Server) deleteRole(w http.ResponseWriter, r *http.Request) {
	name := mux.Vars(r)["name"]
	if err := s.h.Authz.Require(Caller(r.Context()).Username, rbac.Global, rbac.RolesWrite); err != nil {
		WriteError(w, r, err)
		return
	}
	err := s.db(r).Transaction(func(tx *gorm.DB) error {
		if err := s.h.Authz.DeleteRole(tx, name); err != nil {
			return err
		}
		return audit.Record(tx, who(r), "", "role.delete", name, nil)
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.reloadPolicy(r)
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
