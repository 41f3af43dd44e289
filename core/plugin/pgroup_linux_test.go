//go:build linux

package plugin

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// marked lists running processes (not zombies) whose command line or
// environment holds mark.
func marked(t *testing.T, mark string) []string {
	t.Helper()
	var found []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		dir := filepath.Join("/proc", e.Name())
		stat, err := os.ReadFile(filepath.Join(dir, "stat"))
		if err != nil || strings.Contains(string(stat), ") Z ") {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
		environ, _ := os.ReadFile(filepath.Join(dir, "environ"))
		if strings.Contains(string(cmdline), mark) || strings.Contains(string(environ), mark) {
			found = append(found, e.Name())
		}
	}
	return found
}

// A plugin that never handshakes is refused within the start timeout and
// killed with its children, whatever they do with its pipes and signals.
func TestStartRefusesHungPluginsWithTheirChildren(t *testing.T) {
	cases := []struct {
		name, script string
	}{
		{"child holds stdout", "sleep 300"},
		{"child holds stdout and stderr in the background", "sleep 300 & wait"},
		{"ignores SIGTERM", "trap '' TERM INT; sleep 300"},
		{"child closes its pipes", "sleep 300 >/dev/null 2>&1 </dev/null & wait"},
		{"exits at once", "exit 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "plugin")
			script := "#!/bin/sh\nexport BALAI_TEST_MARK=" + path + "\n" + c.script + "\n"
			if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			began := time.Now()
			p, err := start(context.Background(), startOptions{path: path, log: slog.New(slog.NewTextHandler(io.Discard, nil)), startTimeout: time.Second})
			if err == nil {
				p.kill()
				t.Fatal("a plugin that never handshakes was started")
			}
			if took := time.Since(began); took > 3*time.Second {
				t.Errorf("refusing took %v with a start timeout of 1s", took)
			}
			deadline := time.Now().Add(2 * time.Second)
			for left := marked(t, path); len(left) > 0; left = marked(t, path) {
				if time.Now().After(deadline) {
					t.Fatalf("processes left after refusing: %v", left)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}
