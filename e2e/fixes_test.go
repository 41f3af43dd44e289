package e2e

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

// The disaster webhook, through the real binaries without the deployment's
// loopback switch: a URL written as a loopback or cloud-metadata address
// is refused when saved (422 webhook_address_refused), a private address
// is saved, and a name that resolves to loopback when the webhook is
// posted is stopped at the dial and logged as failed, nothing sent.
func TestFixesWebhookRefusesLocalAddresses(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"disaster"})
		w.enable(t, "14.01", "disaster", true)
		const secret = "kampar-bpbd-secret-2026"
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls.Add(1) }))
		t.Cleanup(srv.Close)
		_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
		for _, u := range []string{srv.URL + "/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]:" + port + "/", "http://localhost:" + port + "/"} {
			w.district.Do(t, "PUT", dis("14.01", "/settings"), map[string]string{"webhook_url": u, "webhook_secret": secret}).ExpectErr(422, "webhook_address_refused")
		}
		w.district.Do(t, "PUT", dis("14.01", "/settings"), map[string]string{"webhook_url": "http://10.14.1.5/bpbd", "webhook_secret": secret}).Expect(200)

		// A name of this machine that resolves to loopback (/etc/hosts).
		name, err := os.Hostname()
		if err != nil {
			t.Fatal(err)
		}
		if ips, err := net.LookupIP(name); err != nil || len(ips) == 0 || !ips[0].IsLoopback() {
			t.Skipf("the host name %q does not resolve to loopback here (%v %v): the dial-time check needs such a name", name, ips, err)
		}
		w.district.Do(t, "PUT", dis("14.01", "/settings"), map[string]string{"webhook_url": "http://" + name + ":" + port + "/hook?token=abc", "webhook_secret": secret}).Expect(200)
		r := w.op.Do(t, "POST", dis(villageA, "/reports"), map[string]any{"type": "flood", "occurred_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), "description": "Banjir di Dusun II"}).Expect(201)
		w.op.Do(t, "POST", dis(villageA, "/reports/"+r.Str("id")+"/verify"), nil).Expect(200)
		var d map[string]any
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && d == nil; time.Sleep(200 * time.Millisecond) {
			if items := w.district.Do(t, "GET", dis("14.01", "/deliveries"), nil).Expect(200).Items(); len(items) == 1 {
				d = items[0]
			}
		}
		if d == nil || d["state"] != "failed" || d["attempts"] != float64(1) || !strings.Contains(d["last_error"].(string), "a loopback address") || strings.Contains(d["last_error"].(string), "token") {
			t.Fatalf("delivery log: %v", d)
		}
		if n := calls.Load(); n != 0 {
			t.Fatalf("the loopback receiver got %d requests", n)
		}
	})
}

// development, through the real binaries: an amount too large for a JSON
// number's type is the documented 422 invalid_funding (it was 400
// invalid_field), on create and on correction; spent too large is 422
// invalid_spent; text where an amount belongs stays 400 invalid_field.
func TestFixesDevelopmentAmountRange(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"development"})
		w.enable(t, "14.01", "development", true)
		good, err := json.Marshal(devProject("Jalan Usaha Tani", 0, 90, 150_000_000))
		if err != nil {
			t.Fatal(err)
		}
		body := func(amount string) string {
			return strings.Replace(string(good), `"amount":150000000`, `"amount":`+amount, 1)
		}
		for _, a := range []string{"1e30", "99999999999999999999", "9223372036854775808", "1500.5"} {
			w.op.Do(t, "POST", dev(villageA, "/projects"), body(a)).ExpectErr(422, "invalid_funding")
		}
		w.op.Do(t, "POST", dev(villageA, "/projects"), body(`"seratus juta"`)).ExpectErr(400, "invalid_field")
		id := w.op.Do(t, "POST", dev(villageA, "/projects"), string(good)).Expect(201).Str("id")
		w.op.Do(t, "PATCH", dev(villageA, "/projects/"+id), `{"funding":[{"source":"dana_desa","amount":1e19}]}`).ExpectErr(422, "invalid_funding")
		w.op.Do(t, "POST", dev(villageA, "/projects/"+id+"/progress"), `{"date":"`+devToday(0)+`","percent":5,"spent":1e25}`).ExpectErr(422, "invalid_spent")
	})
}

// balai demo seed finishes the work its import started (the profile's
// recount of each village, delivered as events) before it exits: a clean
// run logs no WARN, and the counts are there when the server starts.
func TestFixesDemoSeedFinishesItsEvents(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		plugins := PluginDir(t, "population", "profile")
		r := h.MustCLI(t, "demo", "seed", "--district", "14.01.02", "--residents", "2000", "--plugins", plugins)
		if strings.Contains(r.Stderr, "WARN") || strings.Contains(r.Stderr, "ERROR") || strings.Contains(r.Stderr, "still pending") || !strings.Contains(r.Stdout, "2000 residents (2000 new") {
			t.Fatalf("seed said:\n%s%s", r.Stdout, r.Stderr)
		}
		h.Serve(t, "--plugins", plugins)
		if log := h.Log(); strings.Contains(log, "event delivery failed") {
			t.Fatalf("the server had deliveries left over:\n%s", log)
		}
		vs := h.Anon().Do(t, "GET", p("14.01.02", "profile", "/villages"), nil).Expect(200)
		var sum float64
		for _, v := range vs.Items() {
			sum += v["population"].(float64)
		}
		if sum != 2000 {
			t.Fatalf("the villages' counts add up to %v: %s", sum, vs.Body)
		}
	})
}

// agenda's double-booking warning names the official as the profile
// module records them, through the real binaries: the head typed two
// different ways on two overlapping events is one person, named as the
// profile has him.
func TestFixesAgendaNamesOfficialsAsTheProfile(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"agenda", "profile"})
		w.enable(t, "14.01", "agenda", true)
		w.enable(t, "14.01", "profile", true)
		w.op.Do(t, "PUT", p(villageA, "profile", ""), map[string]any{"version": 0, "head": "H. Ahmad Yani",
			"officials": []map[string]string{{"name": "Siti Rahma", "position": "Sekretaris Desa"}}}).Expect(200)
		w.op.Do(t, "POST", agd(villageA, "/events"), map[string]any{"title": "Rapat perangkat", "category": "rapat",
			"start": "2027-05-04T09:00", "end": "2027-05-04T11:00", "officials": []string{"Kepala Desa H. Ahmad Yani", "Sekretaris Desa Siti Rahma"}}).Expect(201)
		r := w.op.Do(t, "POST", agd(villageA, "/events"), map[string]any{"title": "Musyawarah Desa", "category": "musyawarah_desa",
			"start": "2027-05-04T10:00", "end": "2027-05-04T12:00", "officials": []string{"kades  ahmad yani", "Ibu Siti Rahma", "Bidan Sari"}}).Expect(201)
		var named []string
		for _, wn := range r.JSON()["warnings"].([]any) {
			named = append(named, wn.(map[string]any)["official"].(string))
		}
		if strings.Join(named, "|") != "H. Ahmad Yani|Siti Rahma" {
			t.Fatalf("warnings name %q: %s", named, r.Body)
		}
	})
}

// Settings inherit by top-level key, through the real binaries: a village that
// saved its own services settings (its signatory) before the regency
// uploaded its emblem prints the regency's emblem, keeps its signatory,
// and follows the regency's later changes of what it did not set.
func TestFixesServicesSettingsFollowTheRegency(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		w.district.Do(t, "PUT", p("14.01", "services", "/settings"), map[string]any{"signatory": map[string]string{"title": "Kepala Desa"}, "paper": "F4"}).Expect(200)
		w.admin.Do(t, "PUT", p(villageA, "services", "/settings"), map[string]any{"signatory": map[string]string{"name": "H. Ahmad Yani"}}).Expect(200)
		// Then the regency uploads its emblem and moves to A4.
		w.district.Do(t, "PUT", p("14.01", "services", "/settings/emblem"), emblemPNG(t, 240, 300, color.NRGBA{G: 120, A: 255})).Expect(200)
		w.district.Do(t, "PUT", p("14.01", "services", "/settings"), map[string]any{"paper": "A4"}).Expect(200)
		got := w.op.Do(t, "GET", p(villageA, "services", "/settings"), nil).Expect(200).JSON()
		s := got["settings"].(map[string]any)
		em, _ := got["resolved"].(map[string]any)["emblem"].(map[string]any)
		sig, _ := s["signatory"].(map[string]any)
		if em == nil || em["tenant"] != "14.01" || s["paper"] != "A4" || sig["name"] != "H. Ahmad Yani" || sig["title"] != "Kepala Desa" {
			t.Fatalf("the village's settings: %v", got)
		}
		w.h.Anon().Do(t, "GET", p(villageA, "services", "/settings/emblem"), nil).Expect(200)
		// A village that removes the emblem keeps it removed when the
		// regency changes it.
		w.admin.Do(t, "DELETE", p(villageA, "services", "/settings/emblem"), nil).Expect(200)
		w.district.Do(t, "PUT", p("14.01", "services", "/settings/emblem"), emblemPNG(t, 200, 200, color.NRGBA{R: 200, A: 255})).Expect(200)
		w.h.Anon().Do(t, "GET", p(villageA, "services", "/settings/emblem"), nil).ExpectErr(404, "emblem_not_found")
		w.h.Anon().Do(t, "GET", p(villageB, "services", "/settings/emblem"), nil).Expect(200)
	})
}

// printLetter has c request a domisili letter for nik in village, the
// regency approve it and c issue it, and returns its PDF.
func printLetter(t *testing.T, w *pluginWorld, c *Client, village, nik string) []byte {
	t.Helper()
	id := c.Do(t, "POST", p(village, "services", "/requests"), letterRequest("domisili", nik, "melamar pekerjaan", nil)).Expect(201).Str("id")
	w.district.Do(t, "POST", p(village, "services", "/requests/"+id+"/approve"), nil).Expect(200)
	c.Do(t, "POST", p(village, "services", "/requests/"+id+"/issue"), nil).Expect(200)
	return c.Do(t, "GET", p(village, "services", "/requests/"+id+"/pdf"), nil).Expect(200).Body
}

// A village's own emblem stays whole when the regency changes its own,
// through the real binaries: the village uploads a PNG while the
// regency's is a PNG too (same content_type, same size), then the regency
// uploads a JPEG. Merged inside the emblem, the village got the JPEG's
// content_type (and size) over its own PNG bytes, and its letters failed.
func TestFixesServicesOwnEmblemStaysWhole(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		w.district.Do(t, "PUT", p("14.01", "services", "/settings/emblem"), emblemPNG(t, 240, 300, color.NRGBA{G: 120, A: 255})).Expect(200)
		own := w.admin.Do(t, "PUT", p(villageA, "services", "/settings/emblem"), emblemPNG(t, 240, 300, color.NRGBA{R: 200, A: 255})).Expect(200).JSON()
		ownSum := own["resolved"].(map[string]any)["emblem"].(map[string]any)["sha256"]
		var jp bytes.Buffer
		if err := jpeg.Encode(&jp, image.NewRGBA(image.Rect(0, 0, 160, 160)), nil); err != nil {
			t.Fatal(err)
		}
		w.district.Do(t, "PUT", p("14.01", "services", "/settings/emblem"), jp.Bytes()).Expect(200)

		got := w.op.Do(t, "GET", p(villageA, "services", "/settings"), nil).Expect(200).JSON()
		em, _ := got["resolved"].(map[string]any)["emblem"].(map[string]any)
		if em == nil || em["tenant"] != villageA || em["content_type"] != "image/png" || em["width"] != 240.0 || em["height"] != 300.0 || em["sha256"] != ownSum {
			t.Fatalf("the village's emblem after the regency's JPEG: %v", em)
		}
		img := w.h.Anon().Do(t, "GET", p(villageA, "services", "/settings/emblem"), nil).Expect(200)
		if ct := img.Header.Get("Content-Type"); ct != "image/png" {
			t.Errorf("the village's PNG is served as %s", ct)
		}
		if _, format, err := image.DecodeConfig(bytes.NewReader(img.Body)); err != nil || format != "png" {
			t.Errorf("the village's emblem is %q: %v", format, err)
		}
		if sizes := letterImages(t, printLetter(t, w, w.op, villageA, budi["nik"])); !hasSize(sizes, 240, 300) || hasSize(sizes, 160, 160) {
			t.Errorf("the village's letter prints %v", sizes)
		}
		// A village that never set one follows the regency's JPEG.
		if ct := w.h.Anon().Do(t, "GET", p(villageB, "services", "/settings/emblem"), nil).Expect(200).Header.Get("Content-Type"); ct != "image/jpeg" {
			t.Errorf("a village without its own emblem: %s", ct)
		}
	})
}

// A village's own signatory stays whole when the regency later sets a
// NIP on its own, through the real binaries: merged inside the
// signatory, the village head's letters printed the regency official's
// NIP under the village head's name.
func TestFixesServicesOwnSignatoryStaysWhole(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := servicesWorld(t, b)
		const nip = "196501011990031001"
		w.admin.Do(t, "PUT", p(villageA, "services", "/settings"), map[string]any{"signatory": map[string]string{"title": "Kepala Desa Kumantan", "name": "H. Ahmad Yani"}}).Expect(200)
		w.district.Do(t, "PUT", p("14.01", "services", "/settings"), map[string]any{"signatory": map[string]string{"title": "Camat Bangkinang", "name": "H. Syamsuar", "nip": nip}}).Expect(200)

		got := w.op.Do(t, "GET", p(villageA, "services", "/settings"), nil).Expect(200).JSON()
		if sig := got["settings"].(map[string]any)["signatory"]; !reflect.DeepEqual(sig, map[string]any{"title": "Kepala Desa Kumantan", "name": "H. Ahmad Yani"}) {
			t.Fatalf("the village's signatory after the regency set a NIP: %v", sig)
		}
		if text := letterText(t, printLetter(t, w, w.op, villageA, budi["nik"])); strings.Contains(text, nip) || !strings.Contains(text, "H. Ahmad Yani") {
			t.Errorf("the village's letter: %s", text)
		}
		// The NIP does print where the regency's signatory applies.
		if text := letterText(t, printLetter(t, w, w.opB, villageB, rina["nik"])); !strings.Contains(text, "NIP. "+nip) {
			t.Errorf("a village following the regency's signatory: %s", text)
		}
	})
}
