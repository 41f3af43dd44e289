package main

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// The addresses a webhook may not reach, and the private ones it may.
func TestRefusal(t *testing.T) {
	for _, c := range []struct {
		addr    string
		refused bool
	}{
		{"127.0.0.1", true}, {"127.8.9.10", true}, {"::1", true}, {"::ffff:127.0.0.1", true},
		{"169.254.169.254", true}, {"fe80::1", true}, {"0.0.0.0", true}, {"::", true}, {"0.1.2.3", true},
		{"224.0.0.1", true}, {"239.255.255.250", true}, {"ff02::1", true}, {"255.255.255.255", true},
		{"100.100.100.200", true}, {"64:ff9b::7f00:1", true}, {"::127.0.0.1", true}, {"fd00:ec2::254", true}, {"192.0.2.10", true},
		{"10.1.2.3", false}, {"172.16.0.1", false}, {"172.31.255.254", false}, {"192.168.1.10", false},
		{"fd12:3456::1", false}, {"103.10.20.30", false}, {"2001:4860:4860::8888", false},
	} {
		got := refusal(netip.MustParseAddr(c.addr), false)
		if (got != "") != c.refused {
			t.Errorf("refusal(%s) = %q, want refused %v", c.addr, got, c.refused)
		}
	}
	if why := refusal(netip.MustParseAddr("127.0.0.1"), true); why != "" {
		t.Errorf("loopback with the deployment's switch: %q", why)
	}
	if why := refusal(netip.MustParseAddr("169.254.169.254"), true); why == "" {
		t.Errorf("the switch lets link-local through")
	}
}

// PUT /settings refuses a URL whose host is written as a refused address,
// with its own code; private addresses and names are saved.
func TestWebhookSettingsRefuseLocalAddresses(t *testing.T) {
	t.Setenv(AllowLoopbackEnv, "")
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Enable(regency)
		admin := h.User("kab", "admin", regency)
		for _, u := range []string{"http://127.0.0.1:8080/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook",
			"http://localhost:9000/x", "https://LOCALHOST./x", "http://0.0.0.0/", "http://[fe80::1%25eth0]/", "http://[::ffff:127.0.0.1]/",
			"http://100.100.100.200/latest"} {
			r := admin.Put(regency, "/settings", map[string]string{"webhook_url": u, "webhook_secret": "0123456789abcdef"})
			if r.Status != 422 || !strings.Contains(string(r.Body), `"webhook_address_refused"`) {
				t.Errorf("PUT %s: %d %s", u, r.Status, r.Body)
			}
		}
		// The settings screen says it in the page, the field kept.
		pr := admin.PostForm(regency, "/settings", url.Values{"webhook_url": {"http://169.254.169.254/latest"}, "webhook_secret": {"0123456789abcdef"}, "csrf_token": {sdktest.CSRFToken}})
		if pr.Status != 422 || !strings.Contains(pr.HTML, "link-local") || !strings.Contains(pr.HTML, "169.254.169.254") {
			t.Errorf("settings screen: %d %s", pr.Status, pr.HTML)
		}
		for _, u := range []string{"http://10.20.30.40/hook", "https://192.168.1.5:8443/bpbd", "http://[fd00::5]/hook", "https://bpbd.kamparkab.go.id/hook"} {
			if r := admin.Put(regency, "/settings", map[string]string{"webhook_url": u, "webhook_secret": "0123456789abcdef"}); r.Status != 200 {
				t.Errorf("PUT %s: %d %s", u, r.Status, r.Body)
			}
		}
	})
}

// A webhook whose address turns out to be loopback when it is dialled
// (saved while the name pointed elsewhere, DNS rebinding, or a name such
// as the machine's own) is stopped at the dial: nothing reaches the
// receiver, and the delivery log says why, failed at once.
func TestWebhookRefusedWhenDialled(t *testing.T) {
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls.Add(1) }))
		defer srv.Close()
		h.Tenant(villageA)
		h.Enable(regency)
		admin := h.User("kab", "admin", regency)
		// Saved while the deployment allowed loopback; delivered without.
		t.Setenv(AllowLoopbackEnv, "1")
		if r := admin.Put(regency, "/settings", map[string]string{"webhook_url": srv.URL + "/hook?token=s3cret", "webhook_secret": "0123456789abcdef"}); r.Status != 200 {
			t.Fatalf("settings: %d %s", r.Status, r.Body)
		}
		t.Setenv(AllowLoopbackEnv, "")
		op := h.User("op-a", "operator", villageA)
		var c Created
		op.Post(villageA, "/reports", map[string]any{"type": "flood", "occurred_at": time.Now().Add(-time.Hour).Format(time.RFC3339), "description": "Banjir"}).JSON(&c)
		if r := op.Post(villageA, "/reports/"+c.ID+"/verify", nil); r.Status != 200 {
			t.Fatalf("verify: %s", r.Body)
		}
		var list sdk.ListOf[Delivery]
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			admin.Get(regency, "/deliveries").JSON(&list)
			if len(list.Items) == 1 {
				break
			}
		}
		if len(list.Items) != 1 {
			t.Fatalf("deliveries: %+v", list.Items)
		}
		d := list.Items[0]
		if d.State != DeliveryFailed || d.Attempts != 1 || !strings.Contains(d.LastError, "127.0.0.1, a loopback address") || strings.Contains(d.LastError, "s3cret") {
			t.Errorf("delivery: %+v", d)
		}
		if n := calls.Load(); n != 0 {
			t.Errorf("the receiver got %d requests", n)
		}
	})
}

// A redirect to a refused address is not followed: the receiver's 302 is
// the attempt's answer, and the redirect's target never gets a request.
func TestWebhookFollowsNoRedirect(t *testing.T) {
	t.Setenv(AllowLoopbackEnv, "1")
	var hits atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer target.Close()
	redirector := httptest.NewServer(http.RedirectHandler(target.URL+"/latest/meta-data/", http.StatusFound))
	defer redirector.Close()
	status, err := post(t.Context(), Settings{WebhookURL: redirector.URL, WebhookSecret: "0123456789abcdef"}, sdk.Event{ID: 1, Name: "disaster.report_verified"}, []byte(`{}`))
	if status != http.StatusFound || err == nil || hits.Load() != 0 {
		t.Errorf("redirect: status %d, err %v, target hit %d times", status, err, hits.Load())
	}
}
