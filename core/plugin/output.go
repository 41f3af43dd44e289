package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
)

// A plugin's own words reach the host by two ways besides the wire: what
// its process writes to stderr (an SDK refusing a manifest before the
// handshake, a crash's panic and stack, go-plugin's JSON log lines), and,
// once go-plugin serves, what the plugin writes to os.Stdout and os.Stderr,
// which go-plugin streams over gRPC. Each way ends in an output.

// Bounds of an output.
const (
	// outputTail is how much of the latest plain text an output keeps, to
	// name why a plugin refused to start.
	outputTail = 2 << 10
	// outputQuiet ends a burst: plain lines written less than this apart
	// (a panic and its stack) are logged as one record.
	outputQuiet = 100 * time.Millisecond
	// outputBurst bounds one logged record, and a line without its end.
	outputBurst = 64 << 10
	// panicHeadLines is how many lines from a panic's first line are kept
	// to summarise it (panic value, goroutine header, first frames).
	panicHeadLines = 10
)

// output receives a plugin's bytes as they come (whole lines or not) and
// logs them through the host's logger: a go-plugin JSON line at its own
// level; plain text by bursts, one record per burst, so that a panic's
// stack is one record, at error level with the stack in "stack", and
// other text at the level plain. It keeps the latest plain text for
// words. An output is safe for concurrent use.
type output struct {
	log   *slog.Logger
	plain slog.Level

	mu        sync.Mutex
	line      []byte   // the line being written, without its end
	tail      []byte   // the latest plain text, at most outputTail bytes
	panicHead []string // the first panic's first lines, kept whatever follows
	burst     []string // plain lines not logged yet
	size      int      // bytes in burst
	timer     *time.Timer
}

// newOutput returns an output logging to log, plain text that is not a
// panic at level plain.
func newOutput(log *slog.Logger, plain slog.Level) *output {
	return &output{log: log, plain: plain}
}

// Write takes the next bytes of the plugin's output; it never fails.
func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.line = append(o.line, p...)
	rest := o.line
	for {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		o.handle(string(rest[:i]))
		rest = rest[i+1:]
	}
	if len(rest) > outputBurst {
		o.handle(string(rest))
		rest = nil
	}
	o.line = append(o.line[:0], rest...)
	return len(p), nil
}

// handle takes one line, without its end. o.mu is held.
func (o *output) handle(line string) {
	line = strings.ToValidUTF8(strings.TrimRight(line, "\r"), "\uFFFD")
	if level, msg, attrs, ok := parseHCLog(line); ok {
		// Order is kept: what was said before is logged first.
		o.flush()
		o.log.Log(context.Background(), level, msg, attrs...)
		return
	}
	if o.panicHead == nil && isPanicLine(line) {
		o.panicHead = []string{line}
	} else if n := len(o.panicHead); n > 0 && n < panicHeadLines {
		o.panicHead = append(o.panicHead, line)
	}
	o.tail = append(append(o.tail, line...), '\n')
	if over := len(o.tail) - outputTail; over > 0 {
		o.tail = o.tail[over:]
	}
	o.burst = append(o.burst, line)
	o.size += len(line) + 1
	if o.size >= outputBurst {
		o.flush()
		return
	}
	if o.timer == nil {
		o.timer = time.AfterFunc(outputQuiet, func() {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.flush()
		})
	} else {
		o.timer.Reset(outputQuiet)
	}
}

// flush logs the burst, if any, as one record. o.mu is held.
func (o *output) flush() {
	if len(o.burst) == 0 {
		return
	}
	text := strings.Join(o.burst, "\n")
	first := o.burst[0]
	o.burst, o.size = nil, 0
	if o.timer != nil {
		o.timer.Stop()
	}
	if isStack(text) {
		for _, l := range strings.Split(text, "\n") {
			if isPanicLine(l) {
				first = l
				break
			}
		}
		o.log.Error("plugin panicked", "panic", first, "stack", text)
		return
	}
	o.log.Log(context.Background(), o.plain, "plugin output", "text", text)
}

// words returns what the plugin said last, waiting up to d for it to
// reach the host (go-plugin may report a failed start before it has
// copied the plugin's last line): a panic as its value and where it
// happened, anything else as the latest plain text. It is "" when the
// plugin said nothing.
func (o *output) words(d time.Duration) string {
	deadline := time.Now().Add(d)
	for {
		o.mu.Lock()
		head := o.panicHead
		s := strings.TrimSpace(string(o.tail) + strings.ToValidUTF8(string(o.line), ""))
		o.mu.Unlock()
		if head != nil {
			return summarizePanic(head)
		}
		if s != "" || time.Now().After(deadline) {
			return s
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// isPanicLine reports whether a line starts a Go panic or fatal error.
func isPanicLine(line string) bool {
	return strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ")
}

// isStack reports whether text holds a Go stack: a crash's, or one a
// plugin printed (runtime/debug.Stack) for a panic it recovered.
func isStack(text string) bool {
	if strings.Contains(text, "\npanic: ") || strings.HasPrefix(text, "panic: ") || strings.Contains(text, "fatal error: ") {
		return true
	}
	i := strings.Index(text, "goroutine ")
	return i >= 0 && strings.Contains(text[i:], "]:\n")
}

// summarizePanic turns a panic's first lines ("panic: boom", "",
// "goroutine 1 [running]:", "main.main()", "\t/src/main.go:12 +0x1d")
// into "panic: boom (main.main at /src/main.go:12)": the first frame that
// is not the runtime's.
func summarizePanic(head []string) string {
	s := head[0]
	for i := 1; i+1 < len(head); i++ {
		fn := head[i]
		if fn == "" || strings.HasPrefix(fn, "\t") || strings.HasPrefix(fn, "goroutine ") ||
			strings.HasPrefix(fn, "panic(") || strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "[") {
			continue
		}
		at := strings.TrimSpace(head[i+1])
		if j := strings.LastIndex(at, " +0x"); j >= 0 {
			at = at[:j]
		}
		if k := strings.LastIndex(fn, "("); k > 0 {
			fn = fn[:k]
		}
		return s + " (" + fn + " at " + at + ")"
	}
	return s
}

// parseHCLog reads a JSON line of hclog (go-plugin's log, in the host
// and in the plugin): its level, message and other fields, sorted by key.
// ok is false for any other line.
func parseHCLog(line string) (level slog.Level, msg string, attrs []any, ok bool) {
	if !strings.HasPrefix(line, "{") {
		return 0, "", nil, false
	}
	var m map[string]any
	if json.Unmarshal([]byte(line), &m) != nil {
		return 0, "", nil, false
	}
	if msg, ok = m["@message"].(string); !ok {
		return 0, "", nil, false
	}
	switch m["@level"] {
	case "trace", "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	default:
		level = slog.LevelInfo
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "@message" && k != "@level" && k != "@timestamp" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := strings.TrimPrefix(k, "@")
		if name == "plugin" {
			// go-plugin's name for the binary's path; the host's logger
			// already names the plugin.
			name = "binary"
		}
		attrs = append(attrs, name, m[k])
	}
	return level, msg, attrs, true
}

// newHCLogger is go-plugin's logger for the plugin binary at path: its
// own messages (the process exited, a handshake failed) go to the host's
// log. It relays nothing of the plugin's stderr: go-plugin would log
// plain text at debug level, and a panic's stack line by line, where an
// output logs both whole.
func newHCLogger(log *slog.Logger, path string) hclog.Logger {
	return hcLogger{
		Logger: hclog.New(&hclog.LoggerOptions{Name: "plugin", Level: hclog.Info, Output: &slogWriter{log: log}, JSONFormat: true}),
		stderr: filepath.Base(path),
	}
}

// hcLogger is an hclog.Logger whose sub-logger named stderr (the one
// go-plugin relays the plugin's stderr through) is off.
type hcLogger struct {
	hclog.Logger
	stderr string
}

// offLogger logs nothing, and says so: go-plugin skips the lines.
var offLogger = hclog.New(&hclog.LoggerOptions{Level: hclog.Off, Output: io.Discard})

func (l hcLogger) Named(name string) hclog.Logger {
	if name == l.stderr {
		return offLogger
	}
	return hcLogger{Logger: l.Logger.Named(name), stderr: l.stderr}
}

// slogWriter receives hclog's JSON lines and re-logs them through slog.
type slogWriter struct{ log *slog.Logger }

func (w *slogWriter) Write(b []byte) (int, error) {
	line := strings.TrimSpace(string(b))
	if level, msg, attrs, ok := parseHCLog(line); ok {
		w.log.Log(context.Background(), level, msg, attrs...)
	} else {
		w.log.Info("plugin runtime", "text", line)
	}
	return len(b), nil
}
