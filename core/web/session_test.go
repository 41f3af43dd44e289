package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/plugin"
	"github.com/balaidesa/balai/core/storetest"
)

// Login sets an HttpOnly, SameSite=Lax session cookie and leads to the
// console; the cookie is a browser login only, never an API credential.
func TestLoginSessionCookie(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		b := s.browser()
		p := b.get("/login")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, `<html lang="id">`) || !strings.Contains(p.Body, `id="login-form"`) {
			t.Fatalf("GET /login: %d %.200s", p.Status, p.Body)
		}
		p = b.post("/login", url.Values{"username": {"admin"}, "password": {adminPassword}})
		if p.Status != http.StatusSeeOther || p.Location() != "/console/" {
			t.Fatalf("login: %d to %q", p.Status, p.Location())
		}
		var sc *http.Cookie
		for _, c := range (&http.Response{Header: p.Header}).Cookies() {
			if c.Name == "balai_session" {
				sc = c
			}
		}
		if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || sc.Value == "" {
			t.Fatalf("session cookie %+v", sc)
		}
		// Empty deployment, superadmin: the setup wizard.
		if p := b.get("/console/"); p.Status != http.StatusSeeOther || p.Location() != "/console/setup" {
			t.Fatalf("/console/ of an empty deployment: %d to %q", p.Status, p.Location())
		}
		// The cookie does not authenticate the API.
		if p := b.get("/api/v1/me"); p.Status != http.StatusUnauthorized {
			t.Fatalf("/api/v1/me with only the cookie: %d, want 401", p.Status)
		}
		// Without the cookie the console sends to the login.
		anon := s.browser()
		if p := anon.get("/console/account"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location(), "/login?next=") {
			t.Fatalf("anonymous /console/account: %d to %q", p.Status, p.Location())
		}
	})
}

func TestLoginFailures(t *testing.T) {
	s := sqliteSite(t)
	b := s.browser()
	b.get("/login")
	p := b.post("/login", url.Values{"username": {"admin"}, "password": {"wrong-password-1"}})
	if p.Status != http.StatusUnauthorized || !strings.Contains(p.Body, "Nama pengguna atau kata sandi salah") {
		t.Fatalf("wrong password: %d %.300s", p.Status, p.Body)
	}
	// Unknown users get the same words.
	p = b.post("/login", url.Values{"username": {"nobody"}, "password": {"wrong-password-1"}})
	if p.Status != http.StatusUnauthorized || !strings.Contains(p.Body, "Nama pengguna atau kata sandi salah") {
		t.Fatalf("unknown user: %d", p.Status)
	}
	// The limiter is the API's: 5 wrong passwords per user, counted
	// across both doors. One was spent above; spend three on the API.
	for range 3 {
		res, err := http.Post(s.srv.URL+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"admin","password":"wrong-password-2"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if p := b.post("/login", url.Values{"username": {"admin"}, "password": {"wrong-password-3"}}); p.Status != http.StatusUnauthorized {
		t.Fatalf("fifth wrong password: %d, want 401", p.Status)
	}
	p = b.post("/login", url.Values{"username": {"admin"}, "password": {adminPassword}})
	if p.Status != http.StatusTooManyRequests || p.Header.Get("Retry-After") == "" {
		t.Fatalf("after five failures: %d, want 429 with Retry-After", p.Status)
	}
}

// Every unsafe request needs the token and the same origin.
func TestCSRF(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.get("/login")
		// The login form itself needs its pre-session token.
		if p := b.post("/login", url.Values{"username": {"admin"}, "password": {adminPassword}, "csrf_token": {"-"}}); p.Status != http.StatusForbidden ||
			!strings.Contains(p.Body, "Formulir kedaluwarsa atau dari situs lain") {
			t.Fatalf("login without csrf_token: %d", p.Status)
		}
		b.login("admin", adminPassword)
		b.get("/console/account")
		good := b.csrf
		form := func() url.Values {
			return url.Values{"current_password": {adminPassword}, "new_password": {"a-new-password-1"}, "new_password_again": {"a-new-password-1"}}
		}
		f := form()
		f.Set("csrf_token", "-")
		if p := b.post("/console/account", f); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "Formulir kedaluwarsa") {
			t.Fatalf("POST without csrf_token: %d", p.Status)
		}
		f = form()
		f.Set("csrf_token", "forged")
		if p := b.post("/console/account", f); p.Status != http.StatusForbidden {
			t.Fatalf("POST with a wrong csrf_token: %d", p.Status)
		}
		b.Header.Set("Origin", "https://evil.example")
		f = form()
		f.Set("csrf_token", good)
		if p := b.post("/console/account", f); p.Status != http.StatusForbidden {
			t.Fatalf("POST with a foreign Origin: %d", p.Status)
		}
		b.Header.Del("Origin")
		b.Header.Set("Sec-Fetch-Site", "cross-site")
		if p := b.post("/console/account", f); p.Status != http.StatusForbidden {
			t.Fatalf("POST with Sec-Fetch-Site cross-site: %d", p.Status)
		}
		b.Header.Del("Sec-Fetch-Site")
		// Refusals are audited.
		var n int64
		s.p.Host.DB.Table("audit_log").Where("action = ?", "web.csrf_refused").Count(&n)
		if n < 4 {
			t.Errorf("%d web.csrf_refused entries, want at least 4", n)
		}
		// The logout also needs the token.
		if p := b.post("/logout", url.Values{"csrf_token": {"-"}}); p.Status != http.StatusForbidden {
			t.Fatalf("logout without csrf_token: %d", p.Status)
		}
		// And the right token works.
		b.csrf = good
		if p := b.post("/console/account", form()); p.Status != http.StatusSeeOther {
			t.Fatalf("POST with the token: %d %.300s", p.Status, p.Body)
		}
	})
}

// Logout revokes the session: the old cookie is dead even if kept.
func TestLogoutRevokes(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.login("admin", adminPassword)
		old := b.cookie("balai_session")
		b.get("/logout")
		if p := b.post("/logout", nil); p.Status != http.StatusSeeOther || p.Location() != "/login" {
			t.Fatalf("logout: %d to %q", p.Status, p.Location())
		}
		if b.cookie("balai_session") != "" {
			t.Error("the session cookie was not cleared")
		}
		// The kept token no longer works, as a cookie or as a bearer token.
		thief := s.browser()
		u := mustURL(s.srv.URL)
		thief.c.Jar.SetCookies(u, []*http.Cookie{{Name: "balai_session", Value: old, Path: "/"}})
		if p := thief.get("/console/account"); p.Status != http.StatusSeeOther {
			t.Fatalf("revoked cookie: %d, want a redirect to /login", p.Status)
		}
		req, _ := http.NewRequest(http.MethodGet, s.srv.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+old)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("revoked token on the API: %d", res.StatusCode)
		}
	})
}

// Changing the password (the API's code) ends the other sessions and
// keeps this browser logged in with a fresh one.
func TestPasswordChangeRevokesOtherSessions(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		s.tenant("14", "Riau")
		s.user("clerk", "clerk-password-1", "14", "operator")
		other, me := s.browser(), s.browser()
		other.login("clerk", "clerk-password-1")
		me.login("clerk", "clerk-password-1")
		me.get("/console/account")
		// A wrong current password is said so, and nothing changes.
		p := me.post("/console/account", url.Values{"current_password": {"nope-nope-nope"}, "new_password": {"clerk-password-2"}, "new_password_again": {"clerk-password-2"}})
		if p.Status != http.StatusUnauthorized || !strings.Contains(p.Body, "Kata sandi sekarang salah") {
			t.Fatalf("wrong current password: %d", p.Status)
		}
		p = me.post("/console/account", url.Values{"current_password": {"clerk-password-1"}, "new_password": {"clerk-password-2"}, "new_password_again": {"clerk-password-2"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("change: %d %.300s", p.Status, p.Body)
		}
		if p := me.get("/console/account"); p.Status != http.StatusOK || !strings.Contains(p.Body, `id="flash"`) {
			t.Fatalf("after the change this browser: %d (flash shown: %v)", p.Status, strings.Contains(p.Body, `id="flash"`))
		}
		if p := other.get("/console/account"); p.Status != http.StatusSeeOther {
			t.Fatalf("the other session after the change: %d, want a redirect to /login", p.Status)
		}
		fresh := s.browser()
		fresh.login("clerk", "clerk-password-2")
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// Behind https (the public URL says so) every cookie is Secure.
func TestSecureCookies(t *testing.T) {
	s := newSiteWith(t, storetest.Backends(t)[0], plugin.Config{PublicURL: mustURL("https://portal.example.go.id")})
	b := s.browser()
	p := b.get("/login")
	cookies := (&http.Response{Header: p.Header}).Cookies()
	if len(cookies) == 0 {
		t.Fatal("no pre-session cookie")
	}
	b.csrf = ""
	for _, c := range cookies {
		if !c.Secure || !c.HttpOnly {
			t.Errorf("cookie %s: Secure %v HttpOnly %v", c.Name, c.Secure, c.HttpOnly)
		}
		if c.Name == "balai_login" {
			b.csrf = c.Value
		}
	}
	// The jar keeps Secure cookies away from http: send the token by hand.
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/login", strings.NewReader(url.Values{"username": {"admin"}, "password": {adminPassword}, "csrf_token": {b.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "balai_login", Value: b.csrf})
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	found := false
	for _, c := range res.Cookies() {
		if c.Name == "balai_session" {
			found = true
			if !c.Secure {
				t.Error("session cookie not Secure behind https")
			}
		}
	}
	if !found {
		t.Errorf("login answered %d without a session cookie", res.StatusCode)
	}
}

// A clerk whose session ended while a form was open is told so and led
// back through the login to the form; refusals without a session do not
// write the audit trail (an anonymous client could fill it); a username
// typed with a capital logs in.
func TestSessionEndedWhileAFormWasOpen(t *testing.T) {
	s := sqliteSite(t)
	b := s.browser()
	b.login("admin", adminPassword)
	b.get("/console/account")
	// The session ends elsewhere (logout in another tab).
	other := s.browser()
	other.Header = b.Header
	for _, c := range b.c.Jar.Cookies(mustURL(s.srv.URL)) {
		other.c.Jar.SetCookies(mustURL(s.srv.URL), []*http.Cookie{c})
	}
	other.get("/console/account")
	if p := other.post("/logout", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("logout: %d", p.Status)
	}
	p := b.post("/console/account", url.Values{"current_password": {adminPassword}, "new_password": {"x"}, "new_password_again": {"x"}})
	if p.Status != http.StatusUnauthorized || !strings.Contains(p.Body, "Sesi Anda sudah berakhir") ||
		!strings.Contains(p.Body, `href="/login?next=%2Fconsole%2Faccount"`) {
		t.Fatalf("a form after the session ended: %d %.400s", p.Status, p.Body)
	}
	var before, after int64
	s.p.Host.DB.Table("audit_log").Where("action = ?", "web.csrf_refused").Count(&before)
	anon := s.browser()
	for range 5 {
		anon.post("/login", url.Values{"username": {"admin"}, "password": {"x"}, "csrf_token": {"-"}})
	}
	s.p.Host.DB.Table("audit_log").Where("action = ?", "web.csrf_refused").Count(&after)
	if after != before {
		t.Errorf("anonymous refusals wrote %d audit entries", after-before)
	}
	c := s.browser()
	c.get("/login")
	if p := c.post("/login", url.Values{"username": {"Admin"}, "password": {adminPassword}}); p.Status != http.StatusSeeOther {
		t.Errorf("login as Admin: %d", p.Status)
	}
}
