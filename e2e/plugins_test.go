package e2e

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

// Villages of Kampar (14.01) and Pelalawan (14.05) used below.
const (
	villageA  = "14.01.01.2009" // Kumantan, Bangkinang Kota
	villageA2 = "14.01.01.2010" // a neighbour in the same sub-district
	villageB  = "14.01.02.2001" // Batu Belah, sub-district Kampar
	villageP  = "14.05.01.2001" // a village of Pelalawan
)

// pluginWorld is a running host with plugins, Kampar and Pelalawan
// imported, and users in several places.
type pluginWorld struct {
	h                       *Host
	plugins                 string // the server's plugin directory
	admin, op, viewer, opB  *Client
	district, pelalawanUser *Client
}

func startPlugins(t *testing.T, b storetest.Backend, plugins []string, extra ...string) *pluginWorld {
	t.Helper()
	h := NewHost(t, b)
	h.MustCLI(t, "tenant", "import", "--file", WilayahCSV(t), "--under", "14.01", "--under", "14.05")
	dir := PluginDir(t, plugins...)
	h.Serve(t, append([]string{"--plugins", dir}, extra...)...)
	w := &pluginWorld{h: h, plugins: dir, admin: h.Admin(t)}
	var pw string
	w.op, _ = w.admin.CreateUser(t, "op-a")
	w.admin.Grant(t, villageA, "op-a", "operator")
	w.viewer, _ = w.admin.CreateUser(t, "viewer-a")
	w.admin.Grant(t, villageA, "viewer-a", "viewer")
	w.opB, _ = w.admin.CreateUser(t, "op-b")
	w.admin.Grant(t, villageB, "op-b", "operator")
	w.district, pw = w.admin.CreateUser(t, "kampar-admin")
	_ = pw
	w.admin.Grant(t, "14.01", "kampar-admin", "admin")
	w.pelalawanUser, _ = w.admin.CreateUser(t, "op-p")
	w.admin.Grant(t, villageP, "op-p", "operator")
	return w
}

func (w *pluginWorld) enable(t *testing.T, tenant, plugin string, on bool) {
	t.Helper()
	w.admin.Do(t, "PUT", "/api/v1/tenants/"+tenant+"/modules/"+plugin, map[string]bool{"enabled": on}).Expect(http.StatusOK)
}

func p(tenant, plugin, path string) string { return "/api/v1/t/" + tenant + "/" + plugin + path }

func TestPluginRequestEnforcement(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"hello", "probe"})
		w.enable(t, "14.01", "probe", true)
		w.enable(t, "14.01", "hello", true)
		anon := w.h.Anon()
		bad := &Client{h: w.h, Token: "bls_not-a-real-token"}
		tests := []struct {
			name   string
			c      *Client
			method string
			path   string
			body   any
			status int
			code   string
		}{
			{"anonymous on a protected route", anon, "GET", p(villageA, "probe", "/items"), nil, 401, "unauthenticated"},
			{"bad token on a public route", bad, "GET", p(villageA, "probe", "/public"), nil, 401, "invalid_token"},
			{"operator writes in its village", w.op, "POST", p(villageA, "probe", "/items"), map[string]string{"text": "a"}, 201, ""},
			{"viewer cannot write", w.viewer, "POST", p(villageA, "probe", "/items"), map[string]string{"text": "a"}, 403, "forbidden"},
			{"viewer reads", w.viewer, "GET", p(villageA, "probe", "/items"), nil, 200, ""},
			{"operator in the neighbour village", w.op, "GET", p(villageA2, "probe", "/items"), nil, 403, "forbidden"},
			{"operator in another sub-district", w.op, "POST", p(villageB, "probe", "/items"), map[string]string{"text": "a"}, 403, "forbidden"},
			{"module not enabled in Pelalawan", w.pelalawanUser, "GET", p(villageP, "probe", "/items"), nil, 404, "module_not_enabled"},
			{"unknown route", w.op, "GET", p(villageA, "probe", "/nope"), nil, 404, "not_found"},
			{"wrong method", w.op, "DELETE", p(villageA, "probe", "/items"), nil, 405, "method_not_allowed"},
			{"unknown tenant", w.op, "GET", p("14.01.01.2999", "probe", "/items"), nil, 404, "tenant_not_found"},
			{"unknown plugin", w.op, "GET", p(villageA, "nosuch", "/items"), nil, 404, "plugin_not_found"},
			{"plugin refuses a bad body", w.op, "POST", p(villageA, "probe", "/items"), `{"text":`, 400, "malformed_json"},
			{"plugin storage refuses a missing field", w.op, "POST", p(villageA, "probe", "/items"), map[string]string{}, 422, "invalid"},
			{"district admin works in a village", w.district, "POST", p(villageB, "probe", "/items"), map[string]string{"text": "b"}, 201, ""},
			{"district admin is not admin of Pelalawan", w.district, "GET", p(villageP, "probe", "/items"), nil, 404, "module_not_enabled"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := tt.c.Do(t, tt.method, tt.path, tt.body)
				if tt.code != "" {
					r.ExpectErr(tt.status, tt.code)
				} else {
					r.Expect(tt.status)
				}
			})
		}
		// Public routes serve anonymous callers, and callers who log in as themselves.
		r := anon.Do(t, "GET", p(villageA, "probe", "/public"), nil).Expect(200).JSON()
		if r["user"] != "" || r["tenant"] != villageA {
			t.Errorf("anonymous public call saw %v", r)
		}
		if r := w.op.Do(t, "GET", p(villageA, "probe", "/public"), nil).Expect(200).JSON(); r["user"] != "op-a" {
			t.Errorf("public call with a token saw user %v", r["user"])
		}
		// hello: the vendor example behaves as documented.
		g := w.op.Do(t, "GET", p(villageA, "hello", "/greeting"), nil).Expect(200).JSON()
		if g["tenant"] != villageA || g["user"] != "op-a" {
			t.Errorf("greeting = %v", g)
		}
		id := w.op.Do(t, "POST", p(villageA, "hello", "/notes"), map[string]string{"text": "rapat"}).Expect(201).Str("id")
		items := w.viewer.Do(t, "GET", p(villageA, "hello", "/notes"), nil).Expect(200).Items()
		if len(items) != 1 || items[0]["id"] != id {
			t.Errorf("notes = %v", items)
		}
		if n := w.opB.Do(t, "GET", p(villageB, "hello", "/notes"), nil).Expect(200).Total(); n != 0 {
			t.Errorf("village B sees %d of village A's notes", n)
		}
	})
}

func TestPluginCannotEscapeItsScope(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"hello", "probe"})
		w.enable(t, "14", "probe", true)
		w.enable(t, "14", "hello", true)
		w.op.Do(t, "POST", p(villageA, "probe", "/items"), map[string]string{"text": "a"}).Expect(201)
		idB := w.opB.Do(t, "POST", p(villageB, "probe", "/items"), map[string]string{"text": "b"}).Expect(201).Str("id")
		w.pelalawanUser.Do(t, "POST", p(villageP, "probe", "/items"), map[string]string{"text": "p"}).Expect(201)
		w.op.Do(t, "POST", p(villageA, "hello", "/notes"), map[string]string{"text": "secret"}).Expect(201)

		// The plugin names village B (and the whole province) in its scope:
		// the host ignores the name and answers from the handle's tenant.
		r := w.op.Do(t, "GET", p(villageA, "probe", "/forged?tenant=14"), nil).Expect(200).JSON()
		if got := fmt.Sprint(r["renamed_scope_tenants"]); got != "["+villageA+"]" {
			t.Errorf("renamed scope read %s, want only %s", got, villageA)
		}
		if e, _ := r["guessed_handle_error"].(string); !strings.Contains(e, "scope") {
			t.Errorf("a guessed handle was not refused: %q", e)
		}
		// Another plugin's collection does not exist for it: naming one is
		// the plugin's own mistake (a 500 in its log), not the client's.
		if r["other_plugin_collection"] != "plugin_error" {
			t.Errorf("reading hello's notes from probe: %v, want plugin_error", r["other_plugin_collection"])
		}
		// A handle kept from an earlier request is dead.
		w.op.Do(t, "GET", p(villageA, "probe", "/items"), nil).Expect(200)
		r = w.op.Do(t, "GET", p(villageA, "probe", "/stale"), nil).Expect(200).JSON()
		if e, _ := r["stale_handle_error"].(string); !strings.Contains(e, "scope") {
			t.Errorf("a stale handle was not refused: %q", e)
		}
		// A district-level caller reads across the villages below it, and
		// only those.
		r = w.district.Do(t, "GET", p("14.01", "probe", "/forged"), nil).Expect(200).JSON()
		got := fmt.Sprint(r["renamed_scope_tenants"])
		if !strings.Contains(got, villageA) || !strings.Contains(got, villageB) || strings.Contains(got, villageP) {
			t.Errorf("district subtree read %s, want Kampar's villages only", got)
		}
		// Moving a record needs the right in the destination too.
		w.opB.Do(t, "POST", p(villageB, "probe", "/move/"+idB+"?to="+villageA), nil).ExpectErr(403, "forbidden")
		moved := w.district.Do(t, "POST", p(villageB, "probe", "/move/"+idB+"?to="+villageA), nil).Expect(200).JSON()
		if moved["tenant"] != villageA {
			t.Errorf("moved record is in %v", moved["tenant"])
		}
		w.district.Do(t, "POST", p(villageA, "probe", "/move/"+idB+"?to="+villageP), nil).ExpectErr(403, "forbidden")
	})
}

func TestPluginEnablementInheritance(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"hello"})
		greet := func(c *Client, v string) *Resp { return c.Do(t, "GET", p(v, "hello", "/greeting"), nil) }
		greet(w.op, villageA).ExpectErr(404, "module_not_enabled")
		w.enable(t, "14.01", "hello", true)
		greet(w.op, villageA).Expect(200)
		greet(w.opB, villageB).Expect(200)
		// Disabled below an enabled ancestor.
		w.enable(t, "14.01.01", "hello", false)
		greet(w.op, villageA).ExpectErr(404, "module_not_enabled")
		greet(w.opB, villageB).Expect(200)
		mods := w.admin.Do(t, "GET", "/api/v1/tenants/"+villageA+"/modules", nil).Expect(200).Items()
		if len(mods) != 1 || mods[0]["enabled"] != false || mods[0]["from"] != "14.01.01" || mods[0]["explicit"] != false {
			t.Errorf("modules of %s = %v", villageA, mods)
		}
		// Clearing the sub-district's setting makes it inherit again.
		w.admin.Do(t, "DELETE", "/api/v1/tenants/14.01.01/modules/hello", nil).Expect(200)
		greet(w.op, villageA).Expect(200)
		// An admin of Kampar cannot enable modules in Pelalawan or above.
		w.district.Do(t, "PUT", "/api/v1/tenants/14.05/modules/hello", map[string]bool{"enabled": true}).ExpectErr(403, "forbidden")
		w.district.Do(t, "PUT", "/api/v1/tenants/14/modules/hello", map[string]bool{"enabled": true}).ExpectErr(403, "forbidden")
		w.district.Do(t, "PUT", "/api/v1/tenants/14.01.02/modules/hello", map[string]bool{"enabled": false}).Expect(200)
		w.admin.Do(t, "PUT", "/api/v1/tenants/14.01/modules/nosuch", map[string]bool{"enabled": true}).ExpectErr(404, "plugin_not_found")
		w.admin.Do(t, "PUT", "/api/v1/tenants/14.01/modules/hello", map[string]any{"enabled": true, "x": 1}).ExpectErr(400, "unknown_field")
		// The CLI changes reach the running server.
		w.h.MustCLI(t, "plugin", "disable", "hello", "--tenant", "14.01", "--plugins", w.plugins)
		waitFor(t, 6*time.Second, func() bool { return greet(w.op, villageA).Status == 404 })
		// Every change is audited.
		entries := w.admin.Do(t, "GET", "/api/v1/audit?action=module.*", nil).Expect(200).Items()
		if len(entries) < 5 {
			t.Errorf("%d module audit entries, want at least 5", len(entries))
		}
	})
}

func waitFor(t *testing.T, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", d)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func pluginInfo(t *testing.T, c *Client, file string) map[string]any {
	t.Helper()
	for _, it := range c.Do(t, "GET", "/api/v1/plugins", nil).Expect(200).Items() {
		if it["file"] == file {
			return it
		}
	}
	t.Fatalf("plugin %s not listed", file)
	return nil
}

func TestPluginCrashIsContained(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"hello", "probe"})
		w.enable(t, "14.01", "probe", true)
		w.enable(t, "14.01", "hello", true)
		// Load on hello all along: it must never fail while probe dies.
		stop := make(chan struct{})
		var helloFailures, helloOK atomic.Int64
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("GET", w.h.URL+p(villageA, "hello", "/greeting"), nil)
				req.Header.Set("Authorization", "Bearer "+w.op.Token)
				res, err := http.DefaultClient.Do(req)
				if err != nil || res.StatusCode != 200 {
					helloFailures.Add(1)
				} else {
					helloOK.Add(1)
				}
				if res != nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			}
		}()
		// Writes acknowledged before the crashes must survive them.
		var acked []string
		for i := 0; i < 5; i++ {
			acked = append(acked, w.op.Do(t, "POST", p(villageA, "probe", "/items"), map[string]string{"text": fmt.Sprint(i)}).Expect(201).Str("id"))
		}
		// A plugin that dies inside a request.
		w.op.Do(t, "GET", p(villageA, "probe", "/crash"), nil).ExpectErr(503, "plugin_unavailable")
		// SIGKILL while requests to it are in flight.
		waitFor(t, 15*time.Second, func() bool { return w.op.Do(t, "GET", p(villageA, "probe", "/items"), nil).Status == 200 })
		pid := int(pluginInfo(t, w.admin, "probe")["pid"].(float64))
		var inflight sync.WaitGroup
		var sawUnavailable atomic.Bool
		for i := 0; i < 4; i++ {
			inflight.Add(1)
			go func() {
				defer inflight.Done()
				for j := 0; j < 20; j++ {
					r := w.op.Do(t, "GET", p(villageA, "probe", "/items"), nil)
					if r.Status == 503 {
						if r.Header.Get("Retry-After") == "" || r.ErrCode() != "plugin_unavailable" {
							t.Errorf("503 without Retry-After or code: %v %s", r.Header, r.Body)
						}
						sawUnavailable.Store(true)
					} else if r.Status != 200 {
						t.Errorf("during the crash: %d %s", r.Status, r.Body)
					}
				}
			}()
		}
		time.Sleep(20 * time.Millisecond)
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		inflight.Wait()
		waitFor(t, 15*time.Second, func() bool { return w.op.Do(t, "GET", p(villageA, "probe", "/items"), nil).Status == 200 })
		close(stop)
		wg.Wait()
		if n := helloFailures.Load(); n != 0 {
			t.Errorf("hello failed %d times (of %d) while probe crashed", n, n+helloOK.Load())
		}
		if !sawUnavailable.Load() {
			t.Log("no request landed while probe was down (it restarted fast)")
		}
		info := pluginInfo(t, w.admin, "probe")
		if info["state"] != "running" || info["restarts"].(float64) < 2 || int(info["pid"].(float64)) == pid {
			t.Errorf("after two crashes: %v", info)
		}
		items := w.op.Do(t, "GET", p(villageA, "probe", "/items?limit=500"), nil).Expect(200).Items()
		have := map[any]bool{}
		for _, it := range items {
			have[it["id"]] = true
		}
		for _, id := range acked {
			if !have[id] {
				t.Errorf("acknowledged write %s is lost", id)
			}
		}
		// The host's own API was never affected, and metrics count the restarts.
		w.admin.Do(t, "GET", "/api/v1/me", nil).Expect(200)
		metrics := string(w.h.Anon().Do(t, "GET", "/metrics", nil).Expect(200).Body)
		if !strings.Contains(metrics, `balai_plugin_restarts_total{plugin="probe"}`) {
			t.Error("metrics lack balai_plugin_restarts_total for probe")
		}
	})
}

func TestPluginTimeout(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"probe"})
		w.enable(t, "14.01", "probe", true)
		start := time.Now()
		w.op.Do(t, "GET", p(villageA, "probe", "/hang"), nil).ExpectErr(504, "plugin_timeout")
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("the 500 ms route timeout took %s", d)
		}
		w.op.Do(t, "GET", p(villageA, "probe", "/items"), nil).Expect(200)
	})
}

func TestPluginLoadingRefusals(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		dir := PluginDir(t, "hello", "probe", "oldproto", "futureproto", "badmanifest", "typo")
		data, _ := os.ReadFile(PluginBinary("hello"))
		os.WriteFile(dir+"/hello-copy", data, 0o755)
		// An impostor: hello's binary under population's name, which,
		// loaded, would be served population's tables.
		os.WriteFile(dir+"/population", data, 0o755)
		os.WriteFile(dir+"/notaplugin", []byte("#!/bin/sh\necho 'I am not a plugin'\n"), 0o755)
		os.WriteFile(dir+"/README.txt", []byte("not executable, ignored"), 0o644)
		sum := sha256.Sum256(data)
		h := NewHost(t, b)
		h.ImportKampar(t)
		h.Serve(t, "--plugins", dir, "--plugin-checksums", "probe="+strings.Repeat("0", 64)+",hello="+hex.EncodeToString(sum[:]))
		admin := h.Admin(t)
		want := map[string]struct{ state, err string }{
			"hello":       {"running", ""},
			"hello-copy":  {"failed", "must be named by its id"},
			"population":  {"failed", "declares the id hello"},
			"probe":       {"failed", "checksum"},
			"futureproto": {"failed", "upgrade the host"},
			"oldproto":    {"failed", "rebuild with github.com/balaidesa/balai/sdk v1 (wire protocol 3)"},
			"badmanifest": {"failed", "badmanifest.never.declared is not declared"},
			// The SDK refused it in its own process: its words reach the list.
			"typo":       {"failed", "typo.itemz.read"},
			"notaplugin": {"failed", ""},
		}
		for file, w := range want {
			info := pluginInfo(t, admin, file)
			if info["state"] != w.state || !strings.Contains(fmt.Sprint(info["error"]), w.err) {
				t.Errorf("%s: state %v error %q, want %s %q", file, info["state"], info["error"], w.state, w.err)
			}
		}
		if n := len(admin.Do(t, "GET", "/api/v1/plugins", nil).Items()); n != 9 {
			t.Errorf("%d plugins listed, want the 9 executables (README.txt is not one)", n)
		}
		if p := pluginInfo(t, admin, "hello"); p["protocol"] != float64(3) || p["sha256"] != hex.EncodeToString(sum[:]) {
			t.Errorf("hello: %v", p)
		}
		admin.Do(t, "GET", p(villageA, "probe", "/items"), nil).ExpectErr(404, "plugin_not_found")
		// Refused plugins make the deployment not ready; it stays live.
		h.Anon().Do(t, "GET", "/readyz", nil).Expect(503)
		h.Anon().Do(t, "GET", "/healthz", nil).Expect(200)
		// The CLI explains a refused plugin too.
		r := h.CLI(t, "", "plugin", "inspect", PluginBinary("futureproto"))
		if r.Code == 0 || !strings.Contains(r.Stderr, "protocol") {
			t.Errorf("inspect futureproto: exit %d, %s", r.Code, r.Stderr)
		}
		r = h.MustCLI(t, "plugin", "inspect", PluginBinary("hello"))
		for _, s := range []string{"hello 1.0.0", "hello.notes.write", "POST", "/notes", "notes"} {
			if !strings.Contains(r.Stdout, s) {
				t.Errorf("inspect hello lacks %q:\n%s", s, r.Stdout)
			}
		}
	})
}

func TestPluginStreamingAndServices(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"hello", "probe"})
		w.enable(t, "14.01", "probe", true)
		w.enable(t, "14.01", "hello", true)
		// A 20 MiB upload streams through to the plugin intact.
		big := make([]byte, 20<<20)
		rand.Read(big)
		sum := sha256.Sum256(big)
		r := w.op.Do(t, "POST", p(villageA, "probe", "/upload"), big).Expect(200).JSON()
		if r["bytes"] != float64(len(big)) || r["sha256"] != hex.EncodeToString(sum[:]) {
			t.Errorf("upload arrived as %v", r)
		}
		// Over the route's limit is refused.
		w.op.Do(t, "POST", p(villageA, "probe", "/upload"), make([]byte, 65<<20)).ExpectErr(413, "body_too_large")
		w.op.Do(t, "POST", p(villageA, "probe", "/items"), bytes.Repeat([]byte("x"), 2<<20)).ExpectErr(413, "body_too_large")
		// A 30 MiB download streams back.
		d := w.op.Do(t, "GET", p(villageA, "probe", "/download?bytes="+fmt.Sprint(30<<20)), nil).Expect(200)
		if len(d.Body) != 30<<20 {
			t.Errorf("download of %d bytes, want %d", len(d.Body), 30<<20)
		}
		// Files: an image is stored, anything else refused by sniffing.
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
		f := w.op.Do(t, "POST", p(villageA, "probe", "/photo"), png).Expect(201).JSON()
		if f["content_type"] != "image/png" || f["size"] != float64(len(png)) {
			t.Errorf("stored photo: %v", f)
		}
		w.op.Do(t, "POST", p(villageA, "probe", "/photo"), "just text, not a photo").ExpectErr(422, "invalid_file")
		// Data that fails midway is not stored cut short as if complete.
		w.op.Do(t, "POST", p(villageA, "probe", "/photo?cut=64"), png).ExpectErr(422, "invalid_file")
		if n := dbCount(t, w.h, "files", "plugin = ?", "probe"); n != 1 {
			t.Errorf("%d probe files stored, want the one photo", n)
		}
		// Events: published with the write, delivered to the consumer.
		w.op.Do(t, "POST", p(villageA, "probe", "/poke"), nil).Expect(201)
		waitFor(t, 10*time.Second, func() bool {
			return w.op.Do(t, "GET", p(villageA, "probe", "/received"), nil).Total() == 1
		})
		got := w.op.Do(t, "GET", p(villageA, "probe", "/received"), nil).Items()[0]["data"].(map[string]any)
		if !strings.Contains(fmt.Sprint(got["text"]), "hello event") {
			t.Errorf("received event %v", got)
		}
		// The plugin's environment holds none of the host's secrets.
		env := fmt.Sprint(w.op.Do(t, "GET", p(villageA, "probe", "/env"), nil).Expect(200).JSON()["env"])
		for _, secret := range []string{"BALAI_ADMIN_PASSWORD", AdminPassword, "BALAI_DATABASE", "postgres://"} {
			if strings.Contains(env, secret) {
				t.Errorf("plugin environment contains %q: %s", secret, env)
			}
		}
		// Its logs arrive in the host's log, tagged.
		waitFor(t, 5*time.Second, func() bool {
			return strings.Contains(w.h.Log(), "probe env requested") && strings.Contains(w.h.Log(), "plugin=probe")
		})
		// Calls to another plugin carry the caller's permissions.
		c := w.op.Do(t, "GET", p(villageA, "probe", "/call-hello"), nil).Expect(200).JSON()
		var greeting map[string]string
		json.Unmarshal([]byte(c["body"].(string)), &greeting)
		if c["status"] != float64(200) || greeting["user"] != "op-a" || greeting["tenant"] != villageA {
			t.Errorf("call to hello: %v", c)
		}
		w.admin.Do(t, "POST", "/api/v1/roles", map[string]any{"name": "probe-only", "permissions": []string{"probe.items.read"}}).Expect(201)
		po, _ := w.admin.CreateUser(t, "probe-only-user")
		w.admin.Grant(t, villageA, "probe-only-user", "probe-only")
		if c := po.Do(t, "GET", p(villageA, "probe", "/call-hello"), nil).Expect(200).JSON(); c["status"] != float64(403) {
			t.Errorf("call to hello without its permission: %v", c)
		}
	})
}

func TestPluginsEnabledList(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := Start(t, b, "--plugins", PluginDir(t, "hello", "probe"), "--plugins-enabled", "hello")
		items := h.Admin(t).Do(t, "GET", "/api/v1/plugins", nil).Expect(200).Items()
		if len(items) != 1 || items[0]["id"] != "hello" {
			t.Errorf("with plugins-enabled=hello the host loaded %v", items)
		}
	})
}

func TestHungPluginIsRestarted(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"hello", "probe"}, "--call-timeout", "1s")
		w.enable(t, "14.01", "probe", true)
		w.enable(t, "14.01", "hello", true)
		pid := int(pluginInfo(t, w.admin, "probe")["pid"].(float64))
		// A stopped process answers nothing, not even health checks.
		if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		defer syscall.Kill(pid, syscall.SIGCONT)
		w.op.Do(t, "GET", p(villageA, "probe", "/items"), nil).ExpectErr(504, "plugin_timeout")
		w.op.Do(t, "GET", p(villageA, "hello", "/greeting"), nil).Expect(200)
		waitFor(t, 30*time.Second, func() bool {
			info := pluginInfo(t, w.admin, "probe")
			return info["state"] == "running" && info["pid"] != nil && int(info["pid"].(float64)) != pid
		})
		w.op.Do(t, "GET", p(villageA, "probe", "/items"), nil).Expect(200)
		if info := pluginInfo(t, w.admin, "probe"); !strings.Contains(fmt.Sprint(info["error"]), "health") {
			t.Errorf("restart reason %v, want a failed health check", info["error"])
		}
	})
}

func TestPluginSettingsAuthorizeAndRedelivery(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"probe"})
		w.enable(t, "14.01", "probe", true)
		// Settings are inherited from the nearest tenant above that has some.
		w.district.Do(t, "PUT", p("14.01", "probe", "/settings"), map[string]string{"letterhead": "Pemerintah Kabupaten Kampar"}).Expect(204)
		got := w.op.Do(t, "GET", p(villageA, "probe", "/settings"), nil).Expect(200).JSON()["settings"].(map[string]any)
		if got["letterhead"] != "Pemerintah Kabupaten Kampar" {
			t.Errorf("village settings %v, want the district's", got)
		}
		w.op.Do(t, "PUT", p(villageA, "probe", "/settings"), map[string]string{"letterhead": "Desa Kumantan"}).Expect(204)
		if got := w.op.Do(t, "GET", p(villageA, "probe", "/settings"), nil).JSON()["settings"].(map[string]any); got["letterhead"] != "Desa Kumantan" {
			t.Errorf("village override not kept: %v", got)
		}
		if got := w.opB.Do(t, "GET", p(villageB, "probe", "/settings"), nil).JSON()["settings"].(map[string]any); got["letterhead"] != "Pemerintah Kabupaten Kampar" {
			t.Errorf("another village sees %v", got)
		}
		// Fine-grained checks in another tenant.
		r := w.op.Do(t, "GET", p(villageA, "probe", "/can?perm=probe.items.write&tenant="+villageB), nil).Expect(200).JSON()
		if r["allowed"] != false || r["here"] != true {
			t.Errorf("operator of A: %v", r)
		}
		if r := w.district.Do(t, "GET", p(villageA, "probe", "/can?perm=probe.items.write&tenant="+villageB), nil).Expect(200).JSON(); r["allowed"] != true {
			t.Errorf("district admin: %v", r)
		}
		// A consumer that fails gets the event again.
		w.op.Do(t, "POST", p(villageA, "probe", "/poke?fail=1"), nil).Expect(201)
		waitFor(t, 15*time.Second, func() bool {
			return w.op.Do(t, "GET", p(villageA, "probe", "/received"), nil).Total() == 1
		})
		if got := fmt.Sprint(w.op.Do(t, "GET", p(villageA, "probe", "/received"), nil).Items()[0]["data"]); !strings.Contains(got, "fail once") {
			t.Errorf("redelivered event %s", got)
		}
		// Files over the host's limit are refused.
		big := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 11<<20)...)
		r = w.op.Do(t, "POST", p(villageA, "probe", "/photo"), big).ExpectErr(422, "invalid_file").JSON()
		if !strings.Contains(fmt.Sprint(r["error"]), "too large") {
			t.Errorf("oversized photo: %v", r)
		}
	})
}
