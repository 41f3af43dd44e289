package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// The webhook in-process: the first attempt fails, the host delivers the
// event again and the second succeeds; the log says so.
func TestWebhookDelivery(t *testing.T) {
	// The receiver listens on 127.0.0.1: the deployment's switch for tests.
	t.Setenv(AllowLoopbackEnv, "1")
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		var mu sync.Mutex
		var calls int
		var sig string
		var body []byte
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			calls++
			if calls == 1 {
				w.WriteHeader(500)
				return
			}
			sig, body = r.Header.Get("X-Balai-Signature"), b
		}))
		defer srv.Close()
		h.Tenant(villageA)
		h.Enable(regency)
		admin := h.User("kab", "admin", regency)
		if r := admin.Put(regency, "/settings", map[string]string{"webhook_url": srv.URL, "webhook_secret": "0123456789abcdef"}); r.Status != 200 {
			t.Fatalf("settings: %d %s", r.Status, r.Body)
		}
		op := h.User("op-a", "operator", villageA)
		r := op.Post(villageA, "/reports", map[string]any{"type": "flood", "occurred_at": time.Now().Add(-time.Hour).Format(time.RFC3339), "description": "Banjir"})
		var c Created
		r.JSON(&c)
		if r := op.Post(villageA, "/reports/"+c.ID+"/verify", nil); r.Status != 200 {
			t.Fatalf("verify: %s", r.Body)
		}
		var list sdk.ListOf[Delivery]
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			admin.Get(regency, "/deliveries").JSON(&list)
			if len(list.Items) == 1 && list.Items[0].State == DeliveryDelivered {
				break
			}
		}
		if len(list.Items) != 1 || list.Items[0].State != DeliveryDelivered || list.Items[0].Attempts != 2 {
			t.Fatalf("deliveries: %+v", list.Items)
		}
		if pr := admin.GetPage(regency, "/settings"); pr.Status != 200 || !strings.Contains(pr.HTML, `data-delivery="delivered"`) || strings.Contains(pr.HTML, "0123456789abcdef") {
			t.Errorf("settings screen: %d %s", pr.Status, pr.HTML)
		}
		if pr := op.GetPage(villageA, "/settings"); pr.Status != 403 {
			t.Errorf("an operator opens the webhook settings: %d", pr.Status)
		}
		mu.Lock()
		defer mu.Unlock()
		if sig != Sign("0123456789abcdef", body) {
			t.Errorf("signature %s", sig)
		}
	})
}
