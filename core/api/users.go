package api

import (
	"net/http"

	"github.com/gorilla/mux"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
)

// Users are global, but administrators are not: an admin of a district sees
// and manages the users who hold grants only inside its district, and the
// users it created that hold no grant yet. Superadmins see everyone.

func withinAny(code string, scopes []string) bool {
	for _, s := range scopes {
		if s == rbac.Global || (code != rbac.Global && tenancy.Within(code, s)) {
			return true
		}
	}
	return false
}

// reach decides whether actor may see (users.read) or manage (users.write)
// target: every one of target's grants must lie inside the actor's scopes
// for perm; a user without grants is reachable by its creator.
func (s *Server) reach(db *gorm.DB, actor string, target *auth.User, perm string) (bool, error) {
	if s.h.Authz.Can(actor, rbac.Global, perm) {
		return true, nil
	}
	scopes, err := s.h.Authz.Scopes(db, actor, perm)
	if err != nil || len(scopes) == 0 {
		return false, err
	}
	grants, err := rbac.Grants(db, target.Username)
	if err != nil {
		return false, err
	}
	if len(grants) == 0 {
		return target.CreatedBy == actor, nil
	}
	for _, g := range grants {
		if !withinAny(g.Tenant, scopes) {
			return false, nil
		}
	}
	return true, nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	page, err := parsePage(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	actor := Caller(r.Context()).Username
	db := s.db(r)
	f := auth.UserFilter{Query: r.URL.Query().Get("q"), Offset: page.Offset(), Limit: page.Limit}
	if !s.h.Authz.Can(actor, rbac.Global, rbac.UsersRead) {
		scopes, err := s.h.Authz.Scopes(db, actor, rbac.UsersRead)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		if len(scopes) == 0 {
			WriteError(w, r, apierr.Forbidden("you do not have %s in any tenant", rbac.UsersRead))
			return
		}
		names, err := rbac.UsersWithGrantsIn(db, scopes)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		// Keep only users all of whose grants are inside the scopes, plus
		// the grantless users this actor created.
		f.Usernames = []string{}
		for _, n := range names {
			u := &auth.User{Username: n}
			if ok, err := s.reach(db, actor, u, rbac.UsersRead); err == nil && ok {
				f.Usernames = append(f.Usernames, n)
			}
		}
		f.CreatedBy = actor
	}
	users, total, err := auth.ListUsers(db, f)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, List[auth.User]{Items: users, Total: total})
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	var req auth.NewUser
	if err := decode(r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	actor := Caller(r.Context()).Username
	db := s.db(r)
	scopes, err := s.h.Authz.Scopes(db, actor, rbac.UsersWrite)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if len(scopes) == 0 {
		WriteError(w, r, apierr.Forbidden("you do not have %s in any tenant", rbac.UsersWrite))
		return
	}
	req.CreatedBy = actor
	var u *auth.User
	err = db.Transaction(func(tx *gorm.DB) error {
		var err error
		if u, err = auth.CreateUser(tx, req); err != nil {
			return err
		}
		return audit.Record(tx, who(r), "", "user.create", u.Username, map[string]any{"full_name": u.FullName})
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

// userFromPath loads {username} and checks that the caller may reach it.
func (s *Server) userFromPath(r *http.Request, perm string) (*auth.User, error) {
	db := s.db(r)
	actor := Caller(r.Context()).Username
	u, err := auth.GetUser(db, mux.Vars(r)["username"])
	if err != nil {
		return nil, err
	}
	if u.Username == actor {
		return u, nil
	}
	ok, err := s.reach(db, actor, u, perm)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apierr.Forbidden("user %s holds grants outside the tenants where you have %s", u.Username, perm)
	}
	return u, nil
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.userFromPath(r, rbac.UsersRead)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	grants, err := rbac.Grants(s.db(r), u.Username)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if grants == nil {
		grants = []rbac.Grant{}
	}
	writeJSON(w, http.StatusOK, struct {
		*auth.User
		Grants []rbac.Grant `json:"grants"`
	}{u, grants})
}

func (s *Server) patchUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.userFromPath(r, rbac.UsersWrite)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	var p auth.UserPatch
	if err := decode(r, &p); err != nil {
		WriteError(w, r, err)
		return
	}
	actor := Caller(r.Context()).Username
	if u.Username == actor && p.Disabled != nil && *p.Disabled {
		WriteError(w, r, apierr.Invalid("cannot_disable_self", "you cannot disable your own account"))
		return
	}
	var fields []string
	if p.FullName != nil {
		fields = append(fields, "full_name")
	}
	if p.Password != nil {
		fields = append(fields, "password")
	}
	if p.Disabled != nil {
		fields = append(fields, "disabled")
	}
	var out *auth.User
	err = s.db(r).Transaction(func(tx *gorm.DB) error {
		var err error
		if out, err = auth.UpdateUser(tx, u.Username, p); err != nil {
			return err
		}
		detail := map[string]any{"fields": fields}
		if p.Disabled != nil {
			detail["disabled"] = *p.Disabled
		}
		if p.Disabled != nil || p.Password != nil {
			// Tokens were revoked: every server drops its cached copies.
			if err := rbac.Bump(tx); err != nil {
				return err
			}
		}
		return audit.Record(tx, who(r), "", "user.update", u.Username, detail)
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if p.Disabled != nil || p.Password != nil {
		s.reloadPolicy(r)
	}
	writeJSON(w, http.StatusOK, out)
}
