package plugin

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// crash is what Go's runtime writes when a goroutine's panic ends a
// plugin process.
const crash = "panic: broken on purpose\n\ngoroutine 94 [running]:\nmain.explode()\n\t/src/panicky/main.go:45 +0x25\n" +
	"created by main.main.func3 in goroutine 13\n\t/src/panicky/main.go:29 +0x1a\n"

// logRecords decodes a JSON log into its records.
func logRecords(t *testing.T, log *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestOutputLogsWholeBursts(t *testing.T) {
	tests := []struct {
		name   string
		writes []string // written in this order, in these pieces
		want   []map[string]any
		words  string
	}{{
		name:   "a crash is one record with its stack, however it is cut",
		writes: []string{crash[:10], crash[10:60], crash[60:]},
		want:   []map[string]any{{"level": "ERROR", "msg": "plugin panicked", "panic": "panic: broken on purpose", "stack": strings.TrimSuffix(crash, "\n")}},
		words:  "panic: broken on purpose (main.explode at /src/panicky/main.go:45)",
	}, {
		name:   "a stack a plugin printed for a panic it recovered",
		writes: []string{"error: panic serving GET /x: boom\ngoroutine 7 [running]:\nmain.handler()\n\t/src/main.go:9 +0x1\n"},
		want: []map[string]any{{"level": "ERROR", "msg": "plugin panicked", "panic": "error: panic serving GET /x: boom",
			"stack": "error: panic serving GET /x: boom\ngoroutine 7 [running]:\nmain.handler()\n\t/src/main.go:9 +0x1"}},
		words: "error: panic serving GET /x: boom\ngoroutine 7 [running]:\nmain.handler()\n\t/src/main.go:9 +0x1",
	}, {
		name:   "plain text, at the plain level",
		writes: []string{"invalid manifest for plugin \"typo\": route GET /items: permission typo.itemz.read is not declared\n"},
		want:   []map[string]any{{"level": "WARN", "msg": "plugin output", "text": "invalid manifest for plugin \"typo\": route GET /items: permission typo.itemz.read is not declared"}},
		words:  "invalid manifest for plugin \"typo\": route GET /items: permission typo.itemz.read is not declared",
	}, {
		name: "go-plugin's JSON lines at their level, after the text said before them, and not in words",
		writes: []string{"first\n", `{"@level":"debug","@message":"plugin address","@module":"typo","@timestamp":"2026-01-02T03:04:05.000000Z","address":"/tmp/x"}` + "\n",
			`{"@level":"error","@message":"plugin process exited","plugin":"bin/plugins/typo","error":"exit status 1"}` + "\n"},
		want: []map[string]any{
			{"level": "WARN", "msg": "plugin output", "text": "first"},
			{"level": "DEBUG", "msg": "plugin address", "module": "typo", "address": "/tmp/x"},
			{"level": "ERROR", "msg": "plugin process exited", "binary": "bin/plugins/typo", "error": "exit status 1"},
		},
		words: "first",
	}, {
		name:   "a line without its end still counts as the plugin's words",
		writes: []string{"no newline"},
		want:   nil,
		words:  "no newline",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey {
					return slog.Attr{}
				}
				return a
			}}))
			o := newOutput(log, slog.LevelWarn)
			for _, w := range tt.writes {
				if n, err := o.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if got := o.words(0); got != tt.words {
				t.Errorf("words = %q, want %q", got, tt.words)
			}
			time.Sleep(3 * outputQuiet)
			o.mu.Lock()
			got := logRecords(t, &buf)
			o.mu.Unlock()
			if len(got) != len(tt.want) {
				t.Fatalf("%d records, want %d:\n%s", len(got), len(tt.want), buf.String())
			}
			for i, want := range tt.want {
				for k, v := range want {
					if got[i][k] != v {
						t.Errorf("record %d: %s = %q, want %q", i, k, got[i][k], v)
					}
				}
			}
		})
	}
}

func TestOutputBoundsBurstsAndTail(t *testing.T) {
	var buf bytes.Buffer
	o := newOutput(slog.New(slog.NewJSONHandler(&buf, nil)), slog.LevelInfo)
	line := strings.Repeat("x", 1023) + "\n"
	for range 2 * outputBurst / len(line) {
		o.Write([]byte(line))
	}
	o.mu.Lock()
	n, tail := len(logRecords(t, &buf)), len(o.tail)
	o.mu.Unlock()
	if n != 2 {
		t.Errorf("%d records logged for two bursts' worth of lines written at once, want 2", n)
	}
	if tail > outputTail {
		t.Errorf("tail holds %d bytes, more than %d", tail, outputTail)
	}
}

func TestProtocolRefusal(t *testing.T) {
	tests := []struct {
		err  string
		want string // "" for no refusal
	}{
		{"incompatible API version with plugin. Plugin version: 1, Client versions: [3]",
			"the plugin speaks wire protocol 1, which this host no longer serves: rebuild with github.com/balaidesa/balai/sdk v1 (wire protocol 3)"},
		{"incompatible API version with plugin. Plugin version: 99, Client versions: [3]",
			"the plugin speaks wire protocol 99, newer than this host's 3: upgrade the host (balai) to a release that serves protocol 99, or rebuild the plugin with github.com/balaidesa/balai/sdk v1"},
		{"incompatible core API version with plugin. Plugin version: 2, Core version: 1\n\nTo fix this, the plugin usually only needs to be recompiled.",
			"the plugin's handshake is not one this host speaks (incompatible core API version with plugin. Plugin version: 2, Core version: 1): rebuild with github.com/balaidesa/balai/sdk v1 (wire protocol 3)"},
		{"plugin exited before we could connect", ""},
	}
	for _, tt := range tests {
		got := protocolRefusal(errors.New(tt.err))
		if (got == nil) != (tt.want == "") || got != nil && got.Error() != tt.want {
			t.Errorf("protocolRefusal(%q) = %v, want %q", tt.err, got, tt.want)
		}
	}
}
