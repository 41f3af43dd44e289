package web

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/admin"
	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
)

// Cookie names.
const (
	cookieSession = "balai_session"
	cookieLogin   = "balai_login" // pre-session CSRF token of the login form
	cookieLang    = "balai_lang"
	cookieFlash   = "balai_flash"
)

// maxFormBytes bounds the host's own forms.
const maxFormBytes = 1 << 20

// rq is one browser request as the host's handlers see it.
type rq struct {
	w    http.ResponseWriter
	r    *http.Request
	lang string
	// id is the logged-in caller; nil for anonymous.
	id *auth.Identity
	// fullName is the caller's display name.
	fullName string
	// csrf is the token forms must carry (session-derived or pre-session).
	csrf string
	// tenant is the {tenant} of a console route.
	tenant *tenancy.Tenant
	// flash is the message to show on this page; flashSet is true when
	// this answer stores one for the next page.
	flash    *flash
	flashSet bool
}

// T is the host string key in the request's language.
func (q *rq) T(key string) string { return T(q.lang, key) }

// actor is the caller as core/admin sees it.
func (q *rq) actor() admin.Actor {
	return admin.FromIdentity(q.id, q.who())
}

// who names the caller for the audit trail.
func (q *rq) who() audit.Who {
	w := audit.Who{Source: api.ClientAddr(q.r), RequestID: api.RequestID(q.r.Context())}
	if q.id != nil {
		w.Actor = q.id.Username
	}
	return w
}

// secure reports whether cookies must be Secure.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || (s.cfg.PublicURL != nil && s.cfg.PublicURL.Scheme == "https")
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

// csrfFor is the CSRF token of a session: hex HMAC-SHA256 keyed by the
// session's secret (the balai_session cookie, which only the browser and
// the server know: HttpOnly, never in a page). It needs no server key, so
// a form opened before a restart, or served by another server of the
// same database, is still accepted; it ends with the session.
func csrfFor(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("balai-csrf"))
	return hex.EncodeToString(m.Sum(nil))
}

// session resolves the balai_session cookie; nil when absent or dead.
// The cookie's value is the second result.
func (s *Server) session(r *http.Request) (*auth.Identity, string) {
	c, err := r.Cookie(cookieSession)
	if err != nil || c.Value == "" {
		return nil, ""
	}
	id, err := s.cfg.Tokens.Authenticate(r.Context(), s.cfg.Host.DB.DB, c.Value)
	// Only a password session rides on a cookie: an API token pasted into
	// one is not a browser login.
	if err != nil || !id.IsSession() {
		return nil, ""
	}
	return id, c.Value
}

// newRQ builds the request state common to every handler.
func (s *Server) newRQ(w http.ResponseWriter, r *http.Request) *rq {
	// The access log and the metrics name the route by its pattern, never
	// the path (a module page's path may hold a citizen's key).
	api.NoteRoute(r.Context(), r.Pattern, "", "")
	// The host's own forms are small; a module page's body limit is the
	// runtime's (its page's MaxBodyBytes).
	if r.Body != nil && !strings.HasSuffix(r.Pattern, "{path...}") {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	}
	q := &rq{w: w, r: r, lang: LangID}
	if c, err := r.Cookie(cookieLang); err == nil {
		q.lang = normLang(c.Value)
	}
	// The flash is read here and cleared only by a page that shows it
	// (write): a redirect or a download on the way keeps it.
	if c, err := r.Cookie(cookieFlash); err == nil {
		q.flash = flashCookie(c.Value)
	}
	if id, secret := s.session(r); id != nil {
		q.id = id
		q.csrf = csrfFor(secret)
		api.NoteUser(r.Context(), id.Username)
		if u, err := auth.GetUser(s.cfg.Host.DB.WithContext(r.Context()), id.Username); err == nil {
			q.fullName = u.FullName
		}
	}
	return q
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// anon serves a handler open to anonymous callers; unsafe methods still
// need the CSRF token of the session, or of the login form.
func (s *Server) anon(h func(*rq)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := s.newRQ(w, r)
		if q.id == nil {
			if c, err := r.Cookie(cookieLogin); err == nil {
				q.csrf = c.Value
			}
		}
		if unsafeMethod(r.Method) && !s.csrfOK(q) {
			s.refuseCSRF(q)
			return
		}
		h(q)
	})
}

// authed serves a handler to logged-in callers only; others go to /login.
func (s *Server) authed(h func(*rq)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := s.newRQ(w, r)
		if q.id == nil {
			if unsafeMethod(r.Method) {
				s.refuseCSRF(q)
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if unsafeMethod(r.Method) && !s.csrfOK(q) {
			s.refuseCSRF(q)
			return
		}
		h(q)
	})
}

// tenanted is authed for /console/{tenant}/...: the tenant must exist and
// the caller must hold a grant there or above (any role: a custom role
// with only a module's permission still opens its pages). Each screen then
// checks its own permission; module pages are checked by the runtime.
func (s *Server) tenanted(h func(*rq)) http.Handler {
	return s.authed(func(q *rq) {
		code := q.r.PathValue("tenant")
		if _, _, err := tenancy.ParseCode(code); err != nil {
			s.fail(q, notFound())
			return
		}
		t, err := tenancy.Get(s.cfg.Host.DB.WithContext(q.r.Context()), code)
		if err != nil {
			s.fail(q, err)
			return
		}
		member, err := s.member(q, code)
		if err != nil {
			s.fail(q, err)
			return
		}
		if !member {
			s.fail(q, apierr.Forbidden("you hold no grant in %s", code))
			return
		}
		q.tenant = t
		h(q)
	})
}

// member reports whether the caller holds a grant in code or above it.
func (s *Server) member(q *rq, code string) (bool, error) {
	grants, err := rbac.Grants(s.cfg.Host.DB.WithContext(q.r.Context()), q.id.Username)
	if err != nil {
		return false, err
	}
	for _, g := range grants {
		if g.Tenant == rbac.Global || tenancy.Within(code, g.Tenant) {
			return true, nil
		}
	}
	return false, nil
}

// csrfOK checks an unsafe request: same origin (http.CrossOriginProtection)
// and the token, from X-CSRF-Token or the form field csrf_token. The body
// is read only as far as the token and then restored, so that a module
// page still receives it whole.
func (s *Server) csrfOK(q *rq) bool {
	r := q.r
	if err := s.cop.Check(r); err != nil {
		return false
	}
	if q.csrf == "" {
		return false
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = formToken(r)
	}
	return hmac.Equal([]byte(got), []byte(q.csrf))
}

// formToken reads csrf_token from the body and puts back what it read.
// In a multipart body the token must come before the first file (ui.Form
// writes it first).
func formToken(r *http.Request) string {
	if r.Body == nil {
		return ""
	}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
		if err != nil {
			return ""
		}
		r.Body = readCloser{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return ""
		}
		return v.Get("csrf_token")
	case "multipart/form-data":
		var seen bytes.Buffer
		orig := r.Body
		mr := multipart.NewReader(io.TeeReader(io.LimitReader(orig, 1<<20), &seen), params["boundary"])
		token := ""
		for {
			p, err := mr.NextPart()
			if err != nil || p.FileName() != "" {
				break
			}
			if p.FormName() == "csrf_token" {
				b, _ := io.ReadAll(io.LimitReader(p, 200))
				token = string(b)
				break
			}
		}
		r.Body = readCloser{io.MultiReader(bytes.NewReader(seen.Bytes()), orig), orig}
		return token
	}
	return ""
}

type readCloser struct {
	io.Reader
	io.Closer
}

// refuseCSRF answers 403 with the expired-form page and audits it.
func (s *Server) refuseCSRF(q *rq) {
	target := q.r.Method + " " + routeOf(q.r.URL.Path)
	if q.id == nil {
		// No session: nobody's authority was at stake, so the refusal is
		// logged, within a budget, rather than audited (an anonymous
		// client could otherwise fill the audit trail at will).
		if s.anonRefusals.Allow() {
			s.cfg.Logger.Warn("form refused without a session", "target", target, "remote", api.ClientAddr(q.r))
		}
		if _, err := q.r.Cookie(cookieSession); err == nil || strings.HasPrefix(q.r.URL.Path, "/console/") {
			// The session ended while the form was open: say so, and lead
			// back through the login to the page.
			back := "/login?next=" + url.QueryEscape(safeNext(q.r.URL.Path))
			s.render(q, http.StatusUnauthorized, "error", q.T("err.session"), map[string]any{
				"Status": http.StatusUnauthorized, "Message": q.T("err.session.help"), "Link": back, "LinkText": q.T("login.title")})
			return
		}
	} else if err := audit.Record(s.cfg.Host.DB.WithContext(q.r.Context()), q.who(), "", "web.csrf_refused", target, nil); err != nil {
		s.cfg.Logger.Error("auditing a refused form", "err", err)
	}
	s.errorPage(q, http.StatusForbidden, q.T("err.csrf"), q.T("err.csrf.help"))
}

// routeOf is a path without the parts that may be personal data: the
// audit trail keeps /console/{tenant}/m/{plugin}, not the record's key.
func routeOf(p string) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) > 4 {
		parts = parts[:4]
	}
	return "/" + strings.Join(parts, "/")
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// safeNext keeps a post-login destination inside the console or a page.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/console/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return "/console/"
}

func (s *Server) loginForm(q *rq) {
	if q.id != nil {
		http.Redirect(q.w, q.r, safeNext(q.r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.renderLogin(q, http.StatusOK, "", "")
}

func (s *Server) renderLogin(q *rq, status int, username, msg string) {
	if q.csrf == "" {
		q.csrf = randomToken()
		s.setCookie(q.w, q.r, cookieLogin, q.csrf, 3600)
	}
	s.render(q, status, "login", q.T("login.title"), map[string]string{
		"Username": username, "Error": msg, "Next": safeNext(q.r.FormValue("next")),
	})
}

func (s *Server) loginPost(q *rq) {
	r := q.r
	r.Body = http.MaxBytesReader(q.w, r.Body, maxFormBytes)
	// Usernames are lower case (auth's rule): "Siti" typed on a phone
	// whose keyboard capitalises is siti.
	username, password := strings.ToLower(strings.TrimSpace(r.PostFormValue("username"))), r.PostFormValue("password")
	if username == "" || password == "" {
		s.renderLogin(q, http.StatusUnprocessableEntity, username, q.T("login.failed"))
		return
	}
	addr := api.ClientAddr(r)
	attempt, wait := s.cfg.Limiter.Reserve(username, addr)
	if attempt == nil {
		q.w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()))))
		s.renderLogin(q, http.StatusTooManyRequests, username, q.T("login.toomany"))
		return
	}
	db := s.cfg.Host.DB.WithContext(r.Context())
	u, ok, err := auth.VerifyPassword(db, username, password)
	if err != nil {
		attempt.Release()
		s.fail(q, err)
		return
	}
	who := audit.Who{Actor: username, Source: addr, RequestID: api.RequestID(r.Context())}
	if !ok || u.Disabled {
		if ok {
			attempt.Release() // the password was right; the account is off
		}
		if u != nil {
			if err := audit.Record(db, who, "", "auth.login_failed", username, map[string]string{"via": "web"}); err != nil {
				s.cfg.Logger.Error("auditing failed login", "err", err)
			}
		}
		s.renderLogin(q, http.StatusUnauthorized, username, q.T("login.failed"))
		return
	}
	attempt.Release()
	var secret string
	err = db.Transaction(func(tx *gorm.DB) error {
		var err error
		if secret, _, err = auth.IssueToken(tx, u, auth.KindSession, "web", s.cfg.SessionTTL); err != nil {
			return err
		}
		return audit.Record(tx, who, "", "auth.login", u.Username, map[string]string{"via": "web"})
	})
	if err != nil {
		s.fail(q, err)
		return
	}
	s.setCookie(q.w, r, cookieSession, secret, int(s.cfg.SessionTTL.Seconds()))
	s.setCookie(q.w, r, cookieLogin, "", -1)
	http.Redirect(q.w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *Server) logoutForm(q *rq) {
	if q.id == nil {
		http.Redirect(q.w, q.r, "/login", http.StatusSeeOther)
		return
	}
	s.render(q, http.StatusOK, "logout", q.T("logout.title"), nil)
}

// logoutPost ends the session as the API's logout does.
func (s *Server) logoutPost(q *rq) {
	err := s.cfg.Host.DB.WithContext(q.r.Context()).Transaction(func(tx *gorm.DB) error {
		if err := auth.RevokeToken(tx, q.id.UserID, q.id.TokenID); err != nil {
			return err
		}
		if err := rbac.Bump(tx); err != nil {
			return err
		}
		return audit.Record(tx, q.who(), "", "auth.logout", q.id.Username, map[string]string{"via": "web"})
	})
	if err != nil {
		s.fail(q, err)
		return
	}
	s.reload()
	s.setCookie(q.w, q.r, cookieSession, "", -1)
	s.setFlash(q, "info", q.T("logout.done"))
	http.Redirect(q.w, q.r, "/login", http.StatusSeeOther)
}

// reload applies a committed policy change in this process at once (it
// also flushes the token cache through the reload hook).
func (s *Server) reload() {
	if err := s.cfg.Host.Authz.Reload(); err != nil {
		s.cfg.Logger.Error("reloading policy", "err", err)
	}
	_ = s.cfg.Tokens.Flush()
}

func (s *Server) accountForm(q *rq) { s.renderAccount(q, http.StatusOK, "") }

func (s *Server) renderAccount(q *rq, status int, msg string) {
	s.render(q, status, "account", q.T("account.title"), map[string]string{"Error": msg})
}

// accountPost changes the caller's password through core/admin (the API's
// code): every session and token of the account ends, and this browser
// gets the fresh session in their place.
func (s *Server) accountPost(q *rq) {
	r := q.r
	r.Body = http.MaxBytesReader(q.w, r.Body, maxFormBytes)
	cur, next, again := r.PostFormValue("current_password"), r.PostFormValue("new_password"), r.PostFormValue("new_password_again")
	if next != again {
		s.renderAccount(q, http.StatusUnprocessableEntity, q.T("account.mismatch"))
		return
	}
	attempt, wait := s.cfg.Limiter.Reserve(q.id.Username, api.ClientAddr(r))
	if attempt == nil {
		q.w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()))))
		s.renderAccount(q, http.StatusTooManyRequests, q.T("login.toomany"))
		return
	}
	out, err := s.cfg.Admin.ChangePassword(r.Context(), q.actor(), cur, next, s.cfg.SessionTTL)
	if e, ok := apierr.As(err); !ok || e.Code != "wrong_password" {
		attempt.Release()
	}
	if err != nil {
		e, ok := apierr.As(err)
		if !ok || e.Status >= 500 {
			s.fail(q, err)
			return
		}
		s.renderAccount(q, e.Status, q.errMsg(e))
		return
	}
	_ = s.cfg.Tokens.Flush()
	s.setCookie(q.w, r, cookieSession, out.Token, int(s.cfg.SessionTTL.Seconds()))
	s.setFlash(q, "success", q.T("account.changed"))
	http.Redirect(q.w, r, "/console/account", http.StatusSeeOther)
}

// setLang switches the language (cookie balai_lang) and goes back.
func (s *Server) setLang(q *rq) {
	s.setCookie(q.w, q.r, cookieLang, normLang(q.r.URL.Query().Get("l")), 365*24*3600)
	back := q.r.URL.Query().Get("next")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.Contains(back, "\\") {
		back = "/console/"
	}
	http.Redirect(q.w, q.r, back, http.StatusSeeOther)
}
