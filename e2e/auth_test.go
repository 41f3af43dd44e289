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

// TestLoginLimitHoldsUnderParallelGuesses: guesses sent all at once are
// bounded like guesses sent one by one. Each password check takes its
// attempt first, so exactly the limit (5 per user, 20 per address) is
// checked and answered 401; the rest are 429 with Retry-After. The same
// holds for the current-password check of POST /api/v1/me/password.
func TestLoginLimitHoldsUnderParallelGuesses(t *testing.T) {
	Each(t, func(t *testing.T, h *Host) {
		admin := h.Admin(t)
		admin.CreateUser(t, "viewer1")
		_, pw := admin.CreateUser(t, "changer")
		// count tallies the answers, checking their shape.
		count := func(t *testing.T, rs []*Resp, wrong string) (n401, n429 int) {
			t.Helper()
			for _, r := range rs {
				switch r.Status {
				case 401:
					r.ExpectErr(401, wrong)
					n401++
				case 429:
					r.ExpectErr(429, "too_many_attempts")
					if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 {
						t.Errorf("429 with Retry-After %q", r.Header.Get("Retry-After"))
					}
					n429++
				default:
					t.Errorf("unexpected answer %d: %s", r.Status, r.Body)
				}
			}
			return n401, n429
		}
		login := func(c *Client, user, password string) *Resp {
			return c.Do(t, "POST", "/api/v1/auth/login", map[string]string{"username": user, "password": password})
		}

		// One user from one address.
		from := h.AnonFrom("127.0.0.21")
		rs := parallel(20, func(i int) *Resp { return login(from, "viewer1", "wrong-"+strconv.Itoa(i)) })
		if n401, n429 := count(t, rs, "invalid_credentials"); n401 != 5 || n429 != 15 {
			t.Errorf("20 parallel wrong logins of one user: %d × 401 and %d × 429, want 5 and 15", n401, n429)
		}

		// Many users from one address: the address limit holds.
		from = h.AnonFrom("127.0.0.22")
		rs = parallel(40, func(i int) *Resp { return login(from, "spray"+strconv.Itoa(i), "wrong-password") })
		if n401, n429 := count(t, rs, "invalid_credentials"); n401 != 20 || n429 != 20 {
			t.Errorf("40 parallel wrong logins from one address: %d × 401 and %d × 429, want 20 and 20", n401, n429)
		}

		// The current-password check of a password change.
		changer := h.AnonFrom("127.0.0.23")
		changer.Token = h.Login(t, "changer", pw).Token
		rs = parallel(20, func(i int) *Resp {
			return changer.Do(t, "POST", "/api/v1/me/password", map[string]string{"current_password": "wrong-" + strconv.Itoa(i), "new_password": "a-new-changer-password"})
		})
		if n401, n429 := count(t, rs, "wrong_password"); n401 != 5 || n429 != 15 {
			t.Errorf("20 parallel wrong current passwords: %d × 401 and %d × 429, want 5 and 15", n401, n429)
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
