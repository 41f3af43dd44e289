package api

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/rbac"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := decode(r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	if req.Username == "" || req.Password == "" {
		WriteError(w, r, apierr.Invalid("missing_credentials", "give username and password"))
		return
	}
	addr := clientAddr(r)
	if ok, wait := s.limiter.Allow(req.Username, addr); !ok {
		e := apierr.New(http.StatusTooManyRequests, "too_many_attempts", "too many failed logins: try again in %s", wait)
		e.RetryAfter = int(wait.Seconds())
		WriteError(w, r, e)
		return
	}
	db := s.db(r)
	u, ok, err := auth.VerifyPassword(db, req.Username, req.Password)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	whoami := audit.Who{Actor: req.Username, Source: addr, RequestID: RequestID(r.Context())}
	if !ok {
		s.limiter.Failed(req.Username, addr)
		if u != nil { // only known users: a spray of made-up names should not fill the trail
			if err := audit.Record(db, whoami, "", "auth.login_failed", req.Username, nil); err != nil {
				logger(r).Error("auditing failed login", "err", err)
			}
		}
		WriteError(w, r, apierr.Unauthorized("invalid_credentials", "wrong username or password"))
		return
	}
	if u.Disabled {
		WriteError(w, r, apierr.Unauthorized("user_disabled", "the account %s is disabled", u.Username))
		return
	}
	var secret string
	var tok *auth.Token
	err = db.Transaction(func(tx *gorm.DB) error {
		var err error
		if secret, tok, err = auth.IssueToken(tx, u, auth.KindSession, "", s.opts.SessionTTL); err != nil {
			return err
		}
		return audit.Record(tx, whoami, "", "auth.login", u.Username, nil)
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, loginResponse{Token: secret, ExpiresAt: *tok.ExpiresAt})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	c := Caller(r.Context())
	err := s.db(r).Transaction(func(tx *gorm.DB) error {
		if err := auth.RevokeToken(tx, c.UserID, c.TokenID); err != nil {
			return err
		}
		if err := rbac.Bump(tx); err != nil { // other servers drop the token from their caches
			return err
		}
		return audit.Record(tx, who(r), "", "auth.logout", c.Username, nil)
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.reloadPolicy(r)
	w.WriteHeader(http.StatusNoContent)
}

type meResponse struct {
	Username  string       `json:"username"`
	FullName  string       `json:"full_name"`
	Grants    []rbac.Grant `json:"grants"`
	TokenKind string       `json:"token_kind"`
	ExpiresAt *time.Time   `json:"expires_at"`
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	c := Caller(r.Context())
	db := s.db(r)
	u, err := auth.GetUser(db, c.Username)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	grants, err := rbac.Grants(db, c.Username)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if grants == nil {
		grants = []rbac.Grant{}
	}
	writeJSON(w, http.StatusOK, meResponse{Username: u.Username, FullName: u.FullName, Grants: grants, TokenKind: c.TokenKind, ExpiresAt: c.ExpiresAt})
}

type tokenRequest struct {
	Name          string `json:"name"`
	ExpiresInDays int    `json:"expires_in_days"`
}

type tokenResponse struct {
	Secret string `json:"token"`
	*auth.Token
}

// createToken issues an API token for the caller's own account, for machine
// clients (a village's offline sync, a reporting job).
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if err := decode(r, &req); err != nil {
		WriteError(w, r, err)
		return
	}
	if req.ExpiresInDays < 0 || req.ExpiresInDays > 3650 {
		WriteError(w, r, apierr.Invalid("invalid_expiry", "expires_in_days must be from 0 (never) to 3650"))
		return
	}
	c := Caller(r.Context())
	var resp tokenResponse
	err := s.db(r).Transaction(func(tx *gorm.DB) error {
		u, err := auth.GetUser(tx, c.Username)
		if err != nil {
			return err
		}
		secret, tok, err := auth.IssueToken(tx, u, auth.KindAPI, req.Name, time.Duration(req.ExpiresInDays)*24*time.Hour)
		if err != nil {
			return err
		}
		resp = tokenResponse{Secret: secret, Token: tok}
		return audit.Record(tx, who(r), "", "token.create", c.Username, map[string]any{"token_id": tok.ID, "name": tok.Name})
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, resp)
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := auth.ListAPITokens(s.db(r), Caller(r.Context()).UserID)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, List[auth.Token]{Items: ts, Total: int64(len(ts))})
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathInt(mux.Vars(r)["id"])
	if err != nil {
		WriteError(w, r, err)
		return
	}
	c := Caller(r.Context())
	err = s.db(r).Transaction(func(tx *gorm.DB) error {
		if err := auth.RevokeToken(tx, c.UserID, id); err != nil {
			return err
		}
		if err := rbac.Bump(tx); err != nil {
			return err
		}
		return audit.Record(tx, who(r), "", "token.revoke", c.Username, map[string]any{"token_id": id})
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.reloadPolicy(r)
	w.WriteHeader(http.StatusNoContent)
}
