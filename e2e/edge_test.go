package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

// The host's guards at the edge of plugin routes: per-client rate limits,
// access logs without citizens' keys, and Idempotency-Key.

// answer is one HTTP answer collected from a goroutine.
type answer struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// code is the error code of an error answer, "" otherwise.
func (a answer) code() string { return errCode(a.body) }

// send makes a request as c from any goroutine: it reports failures in the
// answer instead of failing the test.
func (c *Client) send(method, path string, body any, header map[string]string) answer {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return answer{err: err}
		}
		rd = bytes.NewReader(b)
	}
	if !strings.HasPrefix(path, "http") {
		path = c.h.URL + path
	}
	req, err := http.NewRequest(method, path, rd)
	if err != nil {
		return answer{err: err}
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.http().Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, header: res.Header, body: data, err: err}
}

// countRateLimited checks every answer is want or a documented 429 with a
// whole-second Retry-After, and returns how many were want.
func countRateLimited(t *testing.T, answers []answer, want int) (passed, limited int) {
	t.Helper()
	for i, a := range answers {
		switch {
		case a.err != nil:
			t.Fatalf("request %d: %v", i, a.err)
		case a.status == want:
			passed++
		case a.status == 429 && a.code() == "rate_limited":
			if s, err := strconv.Atoi(a.header.Get("Retry-After")); err != nil || s < 1 {
				t.Errorf("429 with Retry-After %q", a.header.Get("Retry-After"))
			}
			limited++
		default:
			t.Errorf("request %d: %d %s", i, a.status, a.body)
		}
	}
	return passed, limited
}

func TestEdgeRateLimit(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"probe"})
		w.enable(t, "14.01", "probe", true)
		anon := w.h.Anon()

		// 20 at once from one address on a route allowing 5 per hour:
		// exactly 5 pass. X-Forwarded-For does not make a new client.
		answers := parallel(20, func(i int) answer {
			return anon.send("POST", p(villageA, "probe", "/form"), nil, map[string]string{"X-Forwarded-For": fmt.Sprintf("10.0.0.%d", i)})
		})
		if passed, limited := countRateLimited(t, answers, 200); passed != 5 || limited != 15 {
			t.Fatalf("%d passed and %d were limited, want 5 and 15", passed, limited)
		}
		// The plugin learns the caller's address, to key its own limits.
		for _, a := range answers {
			if a.status == 200 {
				var v struct{ Client string }
				json.Unmarshal(a.body, &v)
				if v.Client != "127.0.0.1" {
					t.Errorf("the plugin saw client address %q", v.Client)
				}
				break
			}
		}
		// Another village's form is the same route for the same client.
		anon.Do(t, "POST", p(villageB, "probe", "/form"), nil).ExpectErr(429, "rate_limited")
		// A logged-in caller is counted by username, not by the address
		// it shares with the anonymous flood.
		w.op.Do(t, "POST", p(villageA, "probe", "/form"), nil).Expect(200)

		// A route that needs a login and sets a limit counts per user.
		for range 3 {
			w.viewer.Do(t, "GET", p(villageA, "probe", "/limited"), nil).Expect(200)
		}
		w.viewer.Do(t, "GET", p(villageA, "probe", "/limited"), nil).ExpectErr(429, "rate_limited")
		w.op.Do(t, "GET", p(villageA, "probe", "/limited"), nil).Expect(200)

		// A public form that sets no limit gets the default, 30 per minute
		// (one regained every 2 s): 45 at once, 30 pass, plus at most
		// what was regained while they ran.
		began := time.Now()
		answers = parallel(45, func(int) answer { return anon.send("POST", p(villageA, "probe", "/open-form"), nil, nil) })
		regained := int(math.Ceil(time.Since(began).Seconds() / 2))
		if passed, limited := countRateLimited(t, answers, 200); passed < 30 || passed > 30+regained || limited == 0 {
			t.Fatalf("default limit: %d passed and %d limited, want 30 (+%d regained)", passed, limited, regained)
		}
		// Reads of public pages are not limited by default.
		for range 40 {
			anon.Do(t, "GET", p(villageA, "probe", "/public"), nil).Expect(200)
		}
	})
}

// The server's log must not hold citizens' keys that travel in paths and
// queries (KK numbers, order codes, tracking codes, a NIK): it names routes
// by their pattern.
func TestEdgeLogsHoldNoCitizenKeys(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"population", "services", "marketplace"})
		for _, id := range []string{"population", "services", "marketplace"} {
			w.enable(t, "14.01", id, true)
		}
		const nik, kk = "1401011503800001", "1401012001150001"
		w.op.Do(t, "POST", p(villageA, "population", "/residents"), popResident(nik, kk, "Budi", "L", "1980-03-15", "1")).Expect(201)
		w.op.Do(t, "GET", p(villageA, "population", "/families/"+kk), nil).Expect(200)
		w.op.Do(t, "GET", p(villageA, "population", "/residents?nik="+nik), nil).Expect(200)
		m := &marketWorld{pluginWorld: w, t: t}
		prod := m.product(w.op, villageA, m.seller(w.op, villageA, "UMKM Log"), "Keripik", "food", 10000, 5)
		orderCode := w.h.Anon().Do(t, "POST", mkt(villageA, "/orders"), order("Siti", "081234567890", line(prod, 1))).Expect(201).Str("code")
		w.h.Anon().Do(t, "GET", mkt(villageA, "/orders/"+orderCode), nil).Expect(200)
		const trackCode = "TRK7Q2ZX9WLM"
		w.h.Anon().Do(t, "GET", p(villageA, "services", "/track/"+trackCode), nil)
		const stray = "stray-9f3a7c"
		w.h.Anon().Do(t, "GET", "/api/v1/no-such-endpoint/"+stray+"?nik="+nik, nil).Expect(404)
		w.h.Anon().Do(t, "GET", p(villageA, "population", "/no-such-route/"+stray), nil).Expect(404)

		logs := w.h.Log()
		waitFor(t, 2*time.Second, func() bool { logs = w.h.Log(); return strings.Contains(logs, "/services/track/{code}") })
		for name, secret := range map[string]string{"KK": kk, "NIK": nik, "order code": orderCode, "tracking code": trackCode, "unmatched path": stray} {
			if strings.Contains(logs, secret) {
				t.Errorf("the %s %s reached the log", name, secret)
			}
		}
		for _, want := range []string{
			"/api/v1/t/{tenant}/population/families/{kk}",
			"/api/v1/t/{tenant}/population/residents",
			"/api/v1/t/{tenant}/marketplace/orders/{code}",
			"/api/v1/t/{tenant}/services/track/{code}",
			"plugin=population", "tenant=" + villageA,
		} {
			if !strings.Contains(logs, want) {
				t.Errorf("the access log lacks %s", want)
			}
		}
		if t.Failed() {
			t.Logf("log:\n%s", tail(logs, 40))
		}
	})
}

// itemsWithText counts the probe's items in villageA whose text is text.
func itemsWithText(t *testing.T, c *Client, text string) int {
	t.Helper()
	n := 0
	for _, it := range c.Do(t, "GET", p(villageA, "probe", "/items?limit=500"), nil).Expect(200).Items() {
		if data, _ := it["data"].(map[string]any); data["text"] == text {
			n++
		}
	}
	return n
}

func TestEdgeIdempotencyKey(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"probe"})
		w.enable(t, "14.01", "probe", true)
		keyed := p(villageA, "probe", "/keyed")
		key := func(k string, more ...string) map[string]string {
			h := map[string]string{"Idempotency-Key": k}
			for i := 0; i+1 < len(more); i += 2 {
				h[more[i]] = more[i+1]
			}
			return h
		}

		// A retry gets the first answer again, marked as replayed.
		first := w.op.send("POST", keyed, map[string]string{"text": "once"}, key("k-once"))
		again := w.op.send("POST", keyed, map[string]string{"text": "once"}, key("k-once"))
		if first.status != 201 || again.status != 201 || !bytes.Equal(first.body, again.body) || again.header.Get("Idempotent-Replayed") != "true" || first.header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("retry: %d %s then %d %s %v", first.status, first.body, again.status, again.body, again.header)
		}
		if n := itemsWithText(t, w.op, "once"); n != 1 {
			t.Fatalf("%d items after a retry, want 1", n)
		}
		// The same key with other content is refused, and writes nothing.
		if a := w.op.send("POST", keyed, map[string]string{"text": "other"}, key("k-once")); a.status != 422 || a.code() != "idempotency_key_reused" {
			t.Fatalf("reuse with another body: %d %s", a.status, a.body)
		}
		if n := itemsWithText(t, w.op, "other"); n != 0 {
			t.Fatalf("a reused key wrote %d items", n)
		}
		// Keys are per caller: another user's identical key is its own.
		w.district.send("POST", keyed, map[string]string{"text": "once"}, key("k-once"))
		if n := itemsWithText(t, w.op, "once"); n != 2 {
			t.Fatalf("%d items after another caller used the same key, want 2", n)
		}
		// Bad keys are refused before anything runs.
		for _, bad := range []string{strings.Repeat("k", 256), "tab\there", "kunci-ü"} {
			if a := w.op.send("POST", keyed, map[string]string{"text": "bad key"}, key(bad)); a.status != 400 || a.code() != "invalid_idempotency_key" {
				t.Errorf("key %q: %d %s", bad, a.status, a.body)
			}
		}
		// Anonymous callers are keyed by address.
		anon := w.h.Anon()
		pub := p(villageA, "probe", "/public-keyed")
		a1 := anon.send("POST", pub, map[string]string{"text": "anon"}, key("anon-1"))
		a2 := anon.send("POST", pub, map[string]string{"text": "anon"}, key("anon-1"))
		if a1.status != 201 || a2.status != 201 || !bytes.Equal(a1.body, a2.body) || itemsWithText(t, w.op, "anon") != 1 {
			t.Fatalf("anonymous retry: %d %s, %d %s", a1.status, a1.body, a2.status, a2.body)
		}

		// The plugin dies right after its write committed: the host could
		// only answer 503, and the retry must not write again.
		if a := w.op.send("POST", keyed, map[string]string{"text": "died after"}, key("k-after", "X-Probe-Die", "after")); a.status != 503 {
			t.Fatalf("a plugin dying after its write: %d %s", a.status, a.body)
		}
		waitFor(t, 20*time.Second, func() bool { return w.op.Do(t, "GET", p(villageA, "probe", "/items"), nil).Status == 200 })
		w.op.Do(t, "POST", keyed, map[string]string{"text": "died after"}).Expect(201) // a new request without the key: found again below
		if a := w.op.send("POST", keyed, map[string]string{"text": "died after"}, key("k-after")); a.status != 409 || a.code() != "idempotency_outcome_unknown" {
			t.Fatalf("retry after a lost answer: %d %s", a.status, a.body)
		}
		if n := itemsWithText(t, w.op, "died after"); n != 2 {
			t.Fatalf("%d items, want 2: the first request's and the unkeyed one's", n)
		}
		// The plugin dies before writing: the key is released, and the
		// retry does the write, once.
		if a := w.op.send("POST", keyed, map[string]string{"text": "died before"}, key("k-before", "X-Probe-Die", "before")); a.status != 503 {
			t.Fatalf("a plugin dying before its write: %d %s", a.status, a.body)
		}
		waitFor(t, 20*time.Second, func() bool { return w.op.Do(t, "GET", p(villageA, "probe", "/items"), nil).Status == 200 })
		if a := w.op.send("POST", keyed, map[string]string{"text": "died before"}, key("k-before")); a.status != 201 {
			t.Fatalf("retry after a failure that wrote nothing: %d %s", a.status, a.body)
		}
		if n := itemsWithText(t, w.op, "died before"); n != 1 {
			t.Fatalf("%d items after the retry, want 1", n)
		}

		// Twenty identical requests at once with one key: one write; the
		// others get its answer or 409 idempotency_key_in_use.
		answers := parallel(20, func(int) answer {
			return w.op.send("POST", keyed, map[string]string{"text": "race"}, key("k-race", "X-Probe-Delay-Ms", "200"))
		})
		fresh := 0
		for i, a := range answers {
			switch {
			case a.err != nil:
				t.Fatalf("request %d: %v", i, a.err)
			case a.status == 201 && a.header.Get("Idempotent-Replayed") == "":
				fresh++
			case a.status == 201:
			case a.status == 409 && a.code() == "idempotency_key_in_use" && a.header.Get("Retry-After") != "":
			default:
				t.Errorf("request %d: %d %s", i, a.status, a.body)
			}
		}
		if n := itemsWithText(t, w.op, "race"); n != 1 || fresh != 1 {
			t.Fatalf("%d items and %d fresh answers from 20 requests with one key, want 1 and 1", n, fresh)
		}

		// An answer too large to keep: the retry is refused, not applied.
		w.op.Do(t, "POST", p(villageA, "probe", "/big"), nil) // without a key: a second item, to count against
		if a := w.op.send("POST", p(villageA, "probe", "/big"), nil, key("k-big")); a.status != 200 || len(a.body) != 2<<20 {
			t.Fatalf("big answer: %d, %d bytes", a.status, len(a.body))
		}
		if a := w.op.send("POST", p(villageA, "probe", "/big"), nil, key("k-big")); a.status != 409 || a.code() != "idempotency_answer_not_kept" {
			t.Fatalf("retry of a big answer: %d %.200s", a.status, a.body)
		}
		if n := itemsWithText(t, w.op, "big"); n != 2 {
			t.Fatalf("%d big items, want 2", n)
		}
		// Safe methods ignore the header.
		w.op.Do(t, "GET", p(villageA, "probe", "/items"), nil).Expect(200)
		if a := w.op.send("GET", p(villageA, "probe", "/items"), nil, key(strings.Repeat("k", 300))); a.status != 200 {
			t.Fatalf("GET with a key: %d %s", a.status, a.body)
		}
	})
}

// A buyer's order retried with its key reserves stock once and gets the
// same order back.
func TestEdgeIdempotentMarketplaceOrder(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		m := startMarket(t, b)
		prod := m.product(m.op, villageA, m.seller(m.op, villageA, "UMKM Ulang"), "Kerupuk Sagu", "food", 12000, 5)
		anon := m.h.Anon()
		body := order("Rina", "081300001111", line(prod, 2))
		hdr := map[string]string{"Idempotency-Key": "order-7f1c2a"}
		first := anon.send("POST", mkt(villageA, "/orders"), body, hdr)
		again := anon.send("POST", mkt(villageA, "/orders"), body, hdr)
		if first.status != 201 || again.status != 201 || !bytes.Equal(first.body, again.body) {
			t.Fatalf("order and its retry: %d %s, %d %s", first.status, first.body, again.status, again.body)
		}
		if n := m.stock(m.op, villageA, prod); n != 3 {
			t.Fatalf("stock %d after an order of 2 sent twice, want 3", n)
		}
		if a := anon.send("POST", mkt(villageA, "/orders"), order("Rina", "081300001111", line(prod, 3)), hdr); a.status != 422 || a.code() != "idempotency_key_reused" {
			t.Fatalf("same key, other order: %d %s", a.status, a.body)
		}
		if n := m.op.Do(t, "GET", mkt(villageA, "/orders"), nil).Expect(200).Total(); n != 1 {
			t.Fatalf("%d orders, want 1", n)
		}
		if n := m.stock(m.op, villageA, prod); n != 3 {
			t.Fatalf("stock %d after a refused reuse, want 3", n)
		}
	})
}
