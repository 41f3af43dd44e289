package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/storetest"
)

// processesOf lists the pids of running processes started from a binary in
// dir: what is left of the plugins of one host.
func processesOf(t *testing.T, dir string) map[string][]int {
	t.Helper()
	out := map[string][]int{}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		var pid int
		if _, err := fmt.Sscan(e.Name(), &pid); err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || filepath.Dir(exe) != dir {
			continue
		}
		if stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil && strings.Contains(string(stat), ") Z ") {
			continue // a zombie is gone, only not yet reaped
		}
		out[filepath.Base(exe)] = append(out[filepath.Base(exe)], pid)
	}
	return out
}

// Issue 9, item 14: a plugin whose routes conflict (GET /items/{id} and GET
// /items/{code}, which an older ValidateManifest let through and which made
// balai serve exit 2 and orphan the plugin), or that hangs or panics in
// Describe, or declares a huge or empty manifest, is refused alone: the
// host starts, the other plugins serve, the refused ones are listed with
// their reason and none of their processes is left running.
func TestBrokenPluginsDoNotStopTheHost(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		dir := PluginDir(t, "hello", "probe")
		broken, err := os.ReadFile(PluginBinary("broken"))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"conflict":   "routes GET /items/{id} and GET /items/{code} differ only by wildcard names",
			"hang":       "reading manifest",
			"panic":      "reading manifest",
			"huge":       "at most 1000 routes",
			"nomanifest": "id \"\" must be",
		}
		for name := range want {
			if err := os.WriteFile(filepath.Join(dir, name), broken, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		h := NewHost(t, b)
		h.ImportKampar(t)
		h.Serve(t, "--plugins", dir)
		admin := h.Admin(t)
		for file, reason := range want {
			info := pluginInfo(t, admin, file)
			if info["state"] != "failed" || !strings.Contains(fmt.Sprint(info["error"]), reason) {
				t.Errorf("%s: state %v, error %q; want failed with %q", file, info["state"], info["error"], reason)
			}
		}
		running := map[string]int{}
		for _, file := range []string{"hello", "probe"} {
			info := pluginInfo(t, admin, file)
			if info["state"] != "running" {
				t.Fatalf("%s is %v beside the broken plugins: %v", file, info["state"], info["error"])
			}
			running[file] = int(info["pid"].(float64))
		}
		admin.Do(t, "PUT", "/api/v1/tenants/14.01/modules/hello", map[string]bool{"enabled": true}).Expect(200)
		if g := admin.Do(t, "GET", p(villageA, "hello", "/greeting"), nil).Expect(200).JSON(); g["tenant"] != villageA {
			t.Errorf("hello answered %v", g)
		}
		h.Anon().Do(t, "GET", "/readyz", nil).Expect(200)
		if !strings.Contains(h.Log(), "routes GET /items/{id} and GET /items/{code}") {
			t.Errorf("the log does not say why conflict was refused")
		}
		// No process of a refused plugin is left; the loaded ones are the
		// processes the plugin list shows.
		procs := processesOf(t, dir)
		var names []string
		for name := range procs {
			names = append(names, name)
		}
		sort.Strings(names)
		if strings.Join(names, ",") != "hello,probe" || len(procs["hello"]) != 1 || procs["hello"][0] != running["hello"] || procs["probe"][0] != running["probe"] {
			t.Errorf("plugin processes running: %v; want only hello %d and probe %d", procs, running["hello"], running["probe"])
		}
		h.Stop(t)
		if left := processesOf(t, dir); len(left) > 0 {
			t.Errorf("plugin processes left after the host stopped: %v", left)
		}
	})
}
