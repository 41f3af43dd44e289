package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

func TestLoginAndTokens(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		anon := h.Anon()
		r := anon.Do(t, "POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": AdminPassword}).Expect(200)
		if _, err := time.Parse(time.RFC3339, r.Str("expires_at")); err != nil || !strings.HasPrefix(r.Str("token"), "bls_") {
			t.Errorf("login answer %s", r.Body)
		}
		admin := &Client{h: h, Token: r.Str("token")}
		for _, tt := range []struct {
			name, user, password string
		}{{"wrong password", "admin", "not-the-password"}, {"unknown user", "nobody", "whatever-password"}} {
			anon.Do(t, "POST", "/api/v1/auth/login", map[string]string{"username": tt.user, "password": tt.password}).ExpectErr(401, "invalid_credentials")
		}
		anon.Do(t, "GET", "/api/v1/me", nil).ExpectErr(401, "unauthenticated")
		(&Client{h: h, Token: "bls_forged"}).Do(t, "GET", "/api/v1/me", nil).ExpectErr(401, "invalid_token")
		me := admin.Do(t, "GET", "/api/v1/me", nil).Expect(200).JSON()
		if me["username"] != "admin" || !strings.Contains(string(admin.Do(t, "GET", "/api/v1/me", nil).Body), `"tenant":"*","roles":["superadmin"]`) {
			t.Errorf("me = %v", me)
		}

		// API tokens for machine clients.
		tok := admin.Do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "report job", "expires_in_days": 30}).Expect(201).JSON()
		secret, _ := tok["token"].(string)
		if !strings.HasPrefix(secret, "bla_") || tok["name"] != "report job" {
			t.Fatalf("token answer %v", tok)
		}
		bot := &Client{h: h, Token: secret}
		if bot.Do(t, "GET", "/api/v1/me", nil).Expect(200).JSON()["token_kind"] != "api" {
			t.Error("API token not reported as api")
		}
		list := admin.Do(t, "GET", "/api/v1/auth/tokens", nil).Expect(200)
		if len(list.Items()) != 1 || strings.Contains(string(list.Body), secret) {
			t.Errorf("token list %s", list.Body)
		}
		admin.Do(t, "DELETE", "/api/v1/auth/tokens/"+itoa(tok["id"]), nil).Expect(204)
		bot.Do(t, "GET", "/api/v1/me", nil).ExpectErr(401, "invalid_token")
		admin.Do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": ""}).ExpectErr(422, "invalid_token_name")

		// The CLI issues tokens too.
		cli := h.MustCLI(t, "user", "token", "admin", "--name", "backup")
		(&Client{h: h, Token: strings.TrimSpace(cli.Stdout)}).Do(t, "GET", "/api/v1/me", nil).Expect(200)

		// Logout ends the session.
		admin.Do(t, "POST", "/api/v1/auth/logout", nil).Expect(204)
		admin.Do(t, "GET", "/api/v1/me", nil).ExpectErr(401, "invalid_token")
	})
}

// itoa formats a JSON number (or an int) as an integer.
func itoa(v any) string {
	switch n := v.(type) {
	case float64:
		return strconv.FormatInt(int64(n), 10)
	case int:
		return strconv.Itoa(n)
	}
	return ""
}

func TestSessionExpiry(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := Start(t, b, "--session-ttl", "1s")
		admin := h.Admin(t)
		admin.Do(t, "GET", "/api/v1/me", nil).Expect(200)
		time.Sleep(1500 * time.Millisecond)
		admin.Do(t, "GET", "/api/v1/me", nil).ExpectErr(401, "token_expired")
	})
}

func TestDisableAndPasswordReset(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		admin := h.Admin(t)
		siti, pw := admin.CreateUser(t, "siti")
		admin.Do(t, "PATCH", "/api/v1/users/siti", map[string]bool{"disabled": true}).Expect(200)
		siti.Do(t, "GET", "/api/v1/me", nil).ExpectErr(401, "invalid_token")
		h.Anon().Do(t, "POST", "/api/v1/auth/login", map[string]string{"username": "siti", "password": pw}).ExpectErr(401, "user_disabled")
		admin.Do(t, "PATCH", "/api/v1/users/siti", map[string]bool{"disabled": false}).Expect(200)
		siti = h.Login(t, "siti", pw)
		admin.Do(t, "PATCH", "/api/v1/users/siti", map[string]string{"password": "a-brand-new-password"}).Expect(200)
		siti.Do(t, "GET", "/api/v1/me", nil).ExpectErr(401, "invalid_token")
		h.Anon().Do(t, "POST", "/api/v1/auth/login", map[string]string{"username": "siti", "password": pw}).ExpectErr(401, "invalid_credentials")
		siti = h.Login(t, "siti", "a-brand-new-password")
		// Users change their own name and password, but cannot disable themselves.
		siti.Do(t, "PATCH", "/api/v1/users/siti", map[string]string{"full_name": "Siti Aminah"}).Expect(200)
		siti.Do(t, "PATCH", "/api/v1/users/siti", map[string]bool{"disabled": true}).ExpectErr(422, "cannot_disable_self")
		// The CLI disables too, and the running server refuses the session
		// once it sees the change (it watches every 2 s).
		h.MustCLI(t, "user", "disable", "siti")
		waitFor(t, 6*time.Second, func() bool { return siti.Do(t, "GET", "/api/v1/me", nil).Status == 401 })
		siti.Do(t, "GET", "/api/v1/me", nil).ExpectErr(401, "invalid_token")
	})
}

func TestLoginRateLimit(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		anon := h.Anon()
		admin := h.Admin(t)
		admin.CreateUser(t, "target")
		login := func(user, pw string) *Resp {
			return anon.Do(t, "POST", "/api/v1/auth/login", map[string]string{"username": user, "password": pw})
		}
		for i := 0; i < 5; i++ {
			login("target", "wrong-password").ExpectErr(401, "invalid_credentials")
		}
		// Now even the right password waits: guessing is throttled per user.
		r := login("target", "target-password-1").ExpectErr(429, "too_many_attempts")
		if r.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		// Other users are not locked out by it...
		login("admin", AdminPassword).Expect(200)
		// ...until one address has failed too often across usernames.
		for i := 0; i < 15; i++ {
			login("spray"+itoa(i), "wrong-password")
		}
		login("admin", AdminPassword).ExpectErr(429, "too_many_attempts")
		// Failed logins of real users are in the audit trail.
		if n := len(admin.Do(t, "GET", "/api/v1/audit?action=auth.login_failed&actor=target", nil).Expect(200).Items()); n != 5 {
			t.Errorf("%d failed logins audited, want 5", n)
		}
	})
}

func TestBootstrapPrintsRandomPassword(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		h.NoAdminPassword = true
		h.Serve(t)
		out := h.Stdout()
		i := strings.Index(out, "password ")
		if i < 0 {
			t.Fatalf("no password printed:\n%s", out)
		}
		pw := strings.Fields(out[i+len("password "):])[0]
		h.Login(t, "admin", pw)
		if strings.Contains(h.Log(), pw) {
			t.Error("the generated password is in the log")
		}
		h.Stop(t)
		h.Serve(t)
		if strings.Contains(h.Stdout(), "password") {
			t.Errorf("a second start printed a password again:\n%s", h.Stdout())
		}
	})
}

func TestSecretsAreHashed(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		admin := h.Admin(t)
		_, pw := admin.CreateUser(t, "hashcheck")
		db, err := store.Open(store.Options{URL: h.DBURL, DataDir: h.DataDir})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var hash string
		db.Raw("SELECT password_hash FROM users WHERE username = ?", "hashcheck").Scan(&hash)
		if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, pw) {
			t.Errorf("password stored as %q", hash)
		}
		var hashes []string
		db.Raw("SELECT hash FROM tokens").Scan(&hashes)
		for _, th := range hashes {
			if strings.Contains(admin.Token, th) || strings.HasPrefix(th, "bls_") {
				t.Errorf("token stored in clear: %s", th)
			}
		}
		if len(hashes) == 0 {
			t.Error("no tokens stored")
		}
		if strings.Contains(h.Log(), admin.Token) || strings.Contains(h.Log(), AdminPassword) {
			t.Error("a token or password reached the log")
		}
	})
}
