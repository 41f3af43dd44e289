package e2e

// A vendor's mistakes are visible: a plugin the host refuses says why, in
// its own words, wherever an operator looks (the plugin list of the API
// and of the CLI, inspect, the log, /readyz); enabling a plugin the server
// does not have fails; a plugin's panic leaves its stack in the host's log
// and the host serving the others; a plugin built for an old wire protocol
// is told which SDK to rebuild with.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

// rebuildHint is what the host tells a plugin built for an older wire
// protocol.
const rebuildHint = "rebuild with github.com/balaidesa/balai/sdk v1 (wire protocol 3)"

// logLine returns the first line of the host's log holding every one of
// subs, "" when none does.
func logLine(h *Host, subs ...string) string {
	for _, line := range strings.Split(h.Log(), "\n") {
		all := true
		for _, s := range subs {
			all = all && strings.Contains(line, s)
		}
		if all {
			return line
		}
	}
	return ""
}

// expectNotReady checks that /readyz answers 503 not_ready with a plugins
// check naming each of the plugins with the reason it is down, while
// /healthz says the host is alive.
func expectNotReady(t *testing.T, h *Host, why map[string]string) {
	t.Helper()
	r := h.Anon().Do(t, "GET", "/readyz", nil).Expect(503).JSON()
	checks, _ := r["checks"].(map[string]any)
	plugins := fmt.Sprint(checks["plugins"])
	if r["status"] != "not_ready" || checks["database"] != "ok" {
		t.Errorf("readyz = %v", r)
	}
	for file, reason := range why {
		if !strings.Contains(plugins, file+" failed: ") || !strings.Contains(plugins, reason) {
			t.Errorf("readyz does not say %s failed with %q: %s", file, reason, plugins)
		}
	}
	h.Anon().Do(t, "GET", "/healthz", nil).Expect(200)
}

func TestMistakeManifestTypoIsVisible(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		// typo's route needs typo.itemz.read; it declares typo.items.read.
		// The SDK refuses it in its own process, before the handshake.
		const reason = "permission typo.itemz.read is not declared"
		w := startPlugins(t, b, []string{"hello", "typo"})
		if info := pluginInfo(t, w.admin, "typo"); info["state"] != "failed" || !strings.Contains(fmt.Sprint(info["error"]), reason) {
			t.Errorf("GET /api/v1/plugins shows typo as %v: %v", info["state"], info["error"])
		}
		if logLine(w.h, "plugin refused", "file=typo", reason) == "" {
			t.Errorf("the host log does not say why typo was refused:\n%s", tail(w.h.Log(), 30))
		}
		expectNotReady(t, w.h, map[string]string{"typo": reason})
		// The host serves the others.
		w.enable(t, "14.01", "hello", true)
		w.op.Do(t, "GET", p(villageA, "hello", "/greeting"), nil).Expect(200)
		w.admin.Do(t, "PUT", "/api/v1/tenants/14.01/modules/typo", map[string]bool{"enabled": true}).ExpectErr(404, "plugin_not_found")

		// The CLI shows the same reason, from the plugin directory alone.
		list := w.h.MustCLI(t, "plugin", "list", "--plugins", w.plugins)
		var typoRow string
		for _, line := range strings.Split(list.Stdout, "\n") {
			if strings.HasPrefix(line, "typo ") {
				typoRow = line
			}
		}
		if !strings.Contains(typoRow, "refused: ") || !strings.Contains(typoRow, reason) {
			t.Errorf("plugin list shows typo as %q:\n%s", typoRow, list.Stdout)
		}
		if !strings.Contains(list.Stdout, "Greets the caller") {
			t.Errorf("plugin list lacks hello:\n%s", list.Stdout)
		}
		r := w.h.CLI(t, "", "plugin", "inspect", PluginBinary("typo"))
		if r.Code == 0 || !strings.Contains(r.Stderr, reason) || strings.Contains(r.Stderr, "architecture") {
			t.Errorf("plugin inspect typo: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
		}
		// A manifest only the host refuses (badmanifest bypasses the SDK's
		// checks) is refused by inspect too, not printed as if loadable.
		r = w.h.CLI(t, "", "plugin", "inspect", PluginBinary("badmanifest"))
		if r.Code == 0 || !strings.Contains(r.Stderr, "badmanifest.never.declared is not declared") {
			t.Errorf("plugin inspect badmanifest: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
		}
	})
}

func TestMistakeEnableUnknownPlugin(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		h.MustCLI(t, "tenant", "import", "--under", "14.01")
		dir := PluginDir(t, "hello", "typo")
		for _, verb := range []string{"enable", "disable"} {
			r := h.CLI(t, "", "plugin", verb, "helo", "--tenant", "14.01", "--plugins", dir)
			if r.Code == 0 || !strings.Contains(r.Stderr, "no plugin helo") || !strings.Contains(r.Stderr, "plugin_not_found") ||
				!strings.Contains(r.Stderr, "hello") {
				t.Errorf("plugin %s helo: exit %d\n%s%s", verb, r.Code, r.Stdout, r.Stderr)
			}
		}
		// A plugin the server would refuse cannot be enabled either, and
		// the refusal says why.
		r := h.CLI(t, "", "plugin", "enable", "typo", "--tenant", "14.01", "--plugins", dir)
		if r.Code == 0 || !strings.Contains(r.Stderr, "typo.itemz.read") {
			t.Errorf("plugin enable typo: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
		}
		// Without the plugin directory, no id is known.
		r = h.CLI(t, "", "plugin", "enable", "hello", "--tenant", "14.01", "--plugins", t.TempDir())
		if r.Code == 0 || !strings.Contains(r.Stderr, "plugin_not_found") {
			t.Errorf("plugin enable with an empty plugin directory: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
		}
		h.MustCLI(t, "plugin", "enable", "hello", "--tenant", "14.01", "--plugins", dir)
		// Only the good command changed anything: the API, like the CLI,
		// knows no helo, and the audit trail holds hello's enabling alone.
		h.Serve(t, "--plugins", dir)
		admin := h.Admin(t)
		admin.Do(t, "PUT", "/api/v1/tenants/14.01/modules/helo", map[string]bool{"enabled": true}).ExpectErr(404, "plugin_not_found")
		entries := admin.Do(t, "GET", "/api/v1/audit?action=module.*", nil).Expect(200).Items()
		if len(entries) != 1 || entries[0]["action"] != "module.enable" || entries[0]["target"] != "hello" {
			t.Errorf("module audit entries: %v", entries)
		}
		admin.Do(t, "GET", p(villageA, "hello", "/greeting"), nil).Expect(200)
	})
}

func TestMistakePanicStackInLog(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"hello", "panicky"})
		w.enable(t, "14.01", "hello", true)
		w.enable(t, "14.01", "panicky", true)
		greet := func() { t.Helper(); w.op.Do(t, "GET", p(villageA, "hello", "/greeting"), nil).Expect(200) }
		// A panic in a handler is the plugin's 500, logged as such; the
		// plugin stays up.
		w.op.Do(t, "GET", p(villageA, "panicky", "/panic"), nil).ExpectErr(500, "internal")
		// The plugin's log reaches the host's on its own stream, which may
		// trail the answer: wait for the line (up to 5 s) before reading it.
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end) && logLine(w.h, "plugin=panicky", "panic serving GET /panic", "panicky/main.go:") == ""; {
			time.Sleep(100 * time.Millisecond)
		}
		if logLine(w.h, "plugin=panicky", "panic serving GET /panic: broken handler") == "" {
			t.Errorf("the host log lacks the handler's panic:\n%s", tail(w.h.Log(), 20))
		}
		// With its stack, down to the vendor's own line.
		if logLine(w.h, "plugin=panicky", "panic serving GET /panic", "panicky/main.go:") == "" {
			t.Errorf("the host log lacks the handler panic's stack:\n%s", tail(w.h.Log(), 20))
		}
		w.op.Do(t, "GET", p(villageA, "panicky", "/ok"), nil).Expect(200)
		greet()
		// A panic nothing recovers ends the process mid-request: the
		// caller gets a 503, the host logs the stack as one record, and
		// restarts the plugin while serving the others.
		w.op.Do(t, "GET", p(villageA, "panicky", "/crash"), nil).ExpectErr(503, "plugin_unavailable")
		greet()
		var line string
		waitFor(t, 5*time.Second, func() bool {
			line = logLine(w.h, `msg="plugin panicked"`, "plugin=panicky")
			return line != ""
		})
		for _, s := range []string{`panic="panic: broken on purpose"`, "goroutine ", "main.explode()", "panicky/main.go:"} {
			if !strings.Contains(line, s) {
				t.Errorf("the logged panic lacks %q: %s", s, line)
			}
		}
		waitFor(t, 10*time.Second, func() bool {
			info := pluginInfo(t, w.admin, "panicky")
			return info["state"] == "running" && info["restarts"] == float64(1)
		})
		w.op.Do(t, "GET", p(villageA, "panicky", "/ok"), nil).Expect(200)
		greet()
	})
}

func TestMistakeOldProtocolRefused(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		h := NewHost(t, b)
		h.Serve(t, "--plugins", PluginDir(t, "hello", "oldproto", "futureproto"))
		admin := h.Admin(t)
		want := map[string]string{
			"oldproto":    "the plugin speaks wire protocol 1, which this host no longer serves: " + rebuildHint,
			"futureproto": "the plugin speaks wire protocol 99, newer than this host's 3: upgrade the host",
		}
		for file, reason := range want {
			if info := pluginInfo(t, admin, file); info["state"] != "failed" || !strings.Contains(fmt.Sprint(info["error"]), reason) {
				t.Errorf("%s: %v, %v; want failed: %s", file, info["state"], info["error"], reason)
			}
			if logLine(h, "plugin refused", "file="+file, reason) == "" {
				t.Errorf("the host log does not say why %s was refused", file)
			}
			r := h.CLI(t, "", "plugin", "inspect", PluginBinary(file))
			if r.Code == 0 || !strings.Contains(r.Stderr, reason) {
				t.Errorf("plugin inspect %s: exit %d\n%s", file, r.Code, r.Stderr)
			}
		}
		expectNotReady(t, h, want)
		// The current SDK's plugin speaks the one protocol.
		if info := pluginInfo(t, admin, "hello"); info["state"] != "running" || info["protocol"] != float64(3) {
			t.Errorf("hello: %v", info)
		}
	})
}
