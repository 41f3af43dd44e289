package api

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/auth"
)

// The user routes call package admin, which decides who owns and who sees
// an account (see admin.Owns and admin.Sees): a user the caller may not see
// is answered exactly as a missing one.

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	page, err := parsePage(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	f := auth.UserFilter{Query: r.URL.Query().Get("q"), Offset: page.Offset(), Limit: page.Limit}
	users, total, err := s.admin.ListUsers(r.Context(), actor(r), f)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, List[auth.User]{Items: users, Total: total})
}

// createUser takes {"username","password","full_name"} and an optional
// "tenant", the user's home (see auth.User.HomeTenant).
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	var req auth.NewUser
	if err := decode(r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	u, err := s.admin.CreateUser(r.Context(), actor(r), req)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.admin.GetUser(r.Context(), actor(r), mux.Vars(r)["username"])
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// patchUser lets an owner disable a user, reset its password or rename
// it, and a user rename itself; own passwords change at POST /me/password.
func (s *Server) patchUser(w http.ResponseWriter, r *http.Request) {
	var p auth.UserPatch
	if err := decode(r, &p); err != nil {
		WriteError(w, r, err)
		return
	}
	out, err := s.admin.UpdateUser(r.Context(), actor(r), mux.Vars(r)["username"], p)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// changePassword is POST /api/v1/me/password {"current_password",
// "new_password"}: it needs a password session, revokes every session and
// API token of the account (this one too) and answers 200 with a fresh
// session {"token","expires_at"}. Each check of the current password takes
// an attempt from the login limiter first, and a wrong one keeps it spent,
// so the route cannot be used to guess, not even with parallel requests.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	var req changePasswordRequest
	if err := decode(r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	c := Caller(r.Context())
	addr := clientAddr(r)
	attempt, wait := s.limiter.Reserve(c.Username, addr)
	if attempt == nil {
		WriteError(w, r, tooManyAttempts("wrong passwords", wait))
		return
	}
	out, err := s.admin.ChangePassword(r.Context(), actor(r), req.CurrentPassword, req.NewPassword, s.opts.SessionTTL)
	if e, ok := apierr.As(err); !ok || e.Code != "wrong_password" {
		attempt.Release() // right, or never judged
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
