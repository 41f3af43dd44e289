// Command probe is a test plugin that exercises every host service and
// tries what a careless or malicious plugin might: forged or stale scopes,
// other tenants, crashes, hangs, huge bodies.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing/iotest"
	"time"
	"unsafe"

	"google.golang.org/protobuf/proto"

	"github.com/balaidesa/balai/sdk"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Permissions the routes need.
const (
	read  = "probe.items.read"
	write = "probe.items.write"
)

var plugin = sdk.Plugin{
	ID: "probe", Version: "0.1.0", Vendor: "Balai tests", Description: "exercises the host",
	Permissions: []sdk.Permission{
		{Name: read, Roles: []string{"viewer", "operator"}},
		{Name: write, Roles: []string{"operator"}},
	},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/items", Permission: read},
		{Method: "POST", Path: "/items", Permission: write},
		{Method: "GET", Path: "/public", Public: true},
		{Method: "GET", Path: "/forged", Permission: read},
		{Method: "GET", Path: "/stale", Permission: read},
		{Method: "GET", Path: "/crash", Permission: read},
		{Method: "GET", Path: "/hang", Permission: read, Timeout: 500 * time.Millisecond},
		{Method: "POST", Path: "/upload", Permission: write, MaxBodyBytes: 64 << 20},
		{Method: "GET", Path: "/download", Permission: read},
		{Method: "POST", Path: "/photo", Permission: write, MaxBodyBytes: 16 << 20},
		{Method: "GET", Path: "/env", Permission: read},
		{Method: "POST", Path: "/poke", Permission: write},
		{Method: "GET", Path: "/received", Permission: read},
		{Method: "GET", Path: "/call-hello", Permission: read},
		{Method: "POST", Path: "/move/{id}", Permission: write},
		{Method: "GET", Path: "/settings", Permission: read},
		{Method: "PUT", Path: "/settings", Permission: write},
		{Method: "GET", Path: "/can", Permission: read},
		{Method: "GET", Path: "/granted", Permission: read},
		{Method: "POST", Path: "/stock", Permission: write},
		{Method: "POST", Path: "/stock/{id}/take", Permission: write},
		{Method: "GET", Path: "/files/{id}", Permission: read},
		// A public form with its own limit, and one with the host's default.
		{Method: "POST", Path: "/form", Public: true, RateLimit: &sdk.RateLimit{Requests: 5, Window: time.Hour}},
		{Method: "POST", Path: "/open-form", Public: true},
		{Method: "GET", Path: "/limited", Permission: read, RateLimit: &sdk.RateLimit{Requests: 3, Window: time.Hour}},
		// keyed writes an item; X-Probe-Die makes the plugin die before or
		// after the write, X-Probe-Delay-Ms waits first (headers are not
		// part of an idempotency fingerprint, so a retry can omit them).
		{Method: "POST", Path: "/keyed", Permission: write},
		{Method: "POST", Path: "/public-keyed", Public: true, RateLimit: &sdk.RateLimit{Requests: 1000, Window: time.Hour}},
		{Method: "POST", Path: "/big", Permission: write},
	},
	Collections: []sdk.Collection{
		{Name: "items", Fields: []sdk.Field{{Name: "text", Type: sdk.String, Required: true}}},
		{Name: "received", Fields: []sdk.Field{{Name: "event_id", Type: sdk.Int}, {Name: "text", Type: sdk.String}}},
		{Name: "stock", Fields: []sdk.Field{{Name: "count", Type: sdk.Int, Required: true}}},
	},
	Publishes: []string{"probe.poked"},
	Consumes:  []sdk.Consumer{{Event: "probe.poked", Handle: poked}},
	Uses:      []string{"hello.notes.read"},
}

var (
	mu     sync.Mutex
	stale  *pb.Scope
	failed = map[uint64]bool{}
)

// handlers are the routes' handlers by pattern.
func handlers() map[string]http.Handler {
	h := map[string]http.Handler{}
	h["GET /items"] = sdk.Func(func(r *http.Request) (int, any, error) {
		mu.Lock()
		stale, _ = pry(sdk.From(r)) // kept to be misused by /stale later
		mu.Unlock()
		return sdk.From(r).Records("items").List(r)
	})
	h["POST /items"] = sdk.Func(func(r *http.Request) (int, any, error) {
		var v struct {
			Text string `json:"text"`
		}
		if err := sdk.Bind(r, &v); err != nil {
			return 0, nil, err
		}
		rec, err := sdk.From(r).Records("items").Insert(r.Context(), v)
		return 201, rec, err
	})
	h["GET /public"] = sdk.Func(func(r *http.Request) (int, any, error) {
		return 200, map[string]string{"tenant": sdk.From(r).Tenant, "user": sdk.From(r).User}, nil
	})
	// forged asks for another tenant's records by naming it in the scope and
	// by guessing handles: the host must ignore the one and refuse the other.
	h["GET /forged"] = sdk.Func(func(r *http.Request) (int, any, error) {
		own, host := pry(sdk.From(r))
		out := map[string]any{}
		scope := proto.Clone(own).(*pb.Scope)
		scope.Tenant = r.URL.Query().Get("tenant")
		q := &pb.StorageRequest{Scope: scope, Ops: []*pb.StorageOp{{Op: &pb.StorageOp_Query{Query: &pb.Query{Collection: "items", Count: true, Subtree: true}}}}}
		res, err := host.Storage(r.Context(), q)
		if err != nil {
			return 0, nil, err
		}
		var tenants []string
		for _, rec := range res.Results[0].Records {
			tenants = append(tenants, rec.Tenant)
		}
		out["renamed_scope_tenants"] = tenants
		guess := &pb.Scope{Handle: own.Handle + 1}
		_, err = host.Storage(r.Context(), &pb.StorageRequest{Scope: guess, Ops: q.Ops})
		out["guessed_handle_error"] = errString(err)
		other := &pb.StorageRequest{Scope: own, Ops: []*pb.StorageOp{{Op: &pb.StorageOp_Query{Query: &pb.Query{Collection: "notes"}}}}}
		res, err = host.Storage(r.Context(), other)
		if err == nil && res.Results[0].Error != nil {
			out["other_plugin_collection"] = res.Results[0].Error.Code
		}
		return 200, out, nil
	})
	h["GET /stale"] = sdk.Func(func(r *http.Request) (int, any, error) {
		mu.Lock()
		s := stale
		mu.Unlock()
		if s == nil {
			return 409, map[string]string{"error": "call /items first"}, nil
		}
		_, host := pry(sdk.From(r))
		_, err := host.Storage(r.Context(), &pb.StorageRequest{Scope: s, Ops: []*pb.StorageOp{{Op: &pb.StorageOp_Query{Query: &pb.Query{Collection: "items"}}}}})
		return 200, map[string]string{"stale_handle_error": errString(err)}, nil
	})
	h["GET /crash"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { os.Exit(3) })
	h["GET /hang"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(time.Minute):
		case <-r.Context().Done():
		}
	})
	h["POST /upload"] = sdk.Func(func(r *http.Request) (int, any, error) {
		h := sha256.New()
		n, err := io.Copy(h, r.Body)
		if err != nil {
			return 0, nil, sdk.Errorf(400, "bad_body", "%v", err)
		}
		return 200, map[string]any{"bytes": n, "sha256": hex.EncodeToString(h.Sum(nil))}, nil
	})
	h["GET /download"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.ParseInt(r.URL.Query().Get("bytes"), 10, 64)
		w.Header().Set("Content-Type", "application/octet-stream")
		buf := make([]byte, 64<<10)
		for i := range buf {
			buf[i] = byte(i)
		}
		for n > 0 {
			k := min(n, int64(len(buf)))
			w.Write(buf[:k])
			n -= k
		}
	})
	// ?cut=N makes the data fail after N bytes, as a body cut short does.
	h["POST /photo"] = sdk.Func(func(r *http.Request) (int, any, error) {
		var data io.Reader = r.Body
		if n, err := strconv.ParseInt(r.URL.Query().Get("cut"), 10, 64); err == nil {
			data = io.MultiReader(io.LimitReader(r.Body, n), iotest.ErrReader(errors.New("connection reset")))
		}
		f, err := sdk.From(r).PutFile(r.Context(), "photo", data, sdk.FileRules{Accept: []string{"image/*"}})
		if err != nil && data != r.Body {
			// Stay in the request a moment, as a handler with more to do
			// would: the host must not have taken the cut data as whole.
			time.Sleep(300 * time.Millisecond)
		}
		if err != nil {
			return 0, nil, sdk.Errorf(422, "invalid_file", "%v", err)
		}
		return 201, f, nil
	})
	h["GET /env"] = sdk.Func(func(r *http.Request) (int, any, error) {
		sdk.Logf(r.Context(), "info", "probe env requested")
		return 200, map[string]any{"env": os.Environ()}, nil
	})
	h["POST /poke"] = sdk.Func(func(r *http.Request) (int, any, error) {
		text := "hello event"
		if r.URL.Query().Get("fail") != "" {
			text = "fail once"
		}
		b := sdk.From(r).Batch()
		item := b.Insert("items", map[string]string{"text": "poked"})
		b.Publish("probe.poked", map[string]string{"text": text})
		if err := b.Commit(r.Context()); err != nil {
			return 0, nil, err
		}
		return 201, item.Record, nil
	})
	h["GET /settings"] = sdk.Func(func(r *http.Request) (int, any, error) {
		var v map[string]any
		err := sdk.From(r).Settings(r.Context(), &v)
		return 200, map[string]any{"settings": v}, err
	})
	h["PUT /settings"] = sdk.Func(func(r *http.Request) (int, any, error) {
		var v map[string]any
		if err := sdk.Bind(r, &v); err != nil {
			return 0, nil, err
		}
		return 204, nil, sdk.From(r).SaveSettings(r.Context(), v)
	})
	h["GET /can"] = sdk.Func(func(r *http.Request) (int, any, error) {
		q := r.URL.Query()
		ok, err := sdk.From(r).CanIn(r.Context(), q.Get("tenant"), q.Get("perm"))
		return 200, map[string]any{"allowed": ok, "here": sdk.From(r).Can(q.Get("perm"))}, err
	})
	form := sdk.Func(func(r *http.Request) (int, any, error) {
		return 200, map[string]string{"client": sdk.From(r).ClientAddress, "user": sdk.From(r).User}, nil
	})
	h["POST /form"] = form
	h["POST /open-form"] = form
	h["GET /limited"] = form
	keyed := sdk.Func(func(r *http.Request) (int, any, error) {
		var v struct {
			Text string `json:"text"`
		}
		if err := sdk.Bind(r, &v); err != nil {
			return 0, nil, err
		}
		if ms, _ := strconv.Atoi(r.Header.Get("X-Probe-Delay-Ms")); ms > 0 {
			time.Sleep(time.Duration(ms) * time.Millisecond)
		}
		die := r.Header.Get("X-Probe-Die")
		if die == "before" {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
		rec, err := sdk.From(r).Records("items").Insert(r.Context(), v)
		if err == nil && die == "after" {
			// The write has committed: die before answering.
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
		return 201, rec, err
	})
	h["POST /keyed"] = keyed
	h["POST /public-keyed"] = keyed
	// big answers more than the host keeps for an idempotent replay.
	h["POST /big"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := sdk.From(r).Records("items").Insert(r.Context(), map[string]string{"text": "big"}); err != nil {
			sdk.FailErr(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(make([]byte, 2<<20))
	})
	// /granted shows the permissions the host handed this request: for a
	// call from another plugin, only those that plugin declared it uses.
	h["GET /granted"] = sdk.Func(func(r *http.Request) (int, any, error) {
		ok, err := sdk.From(r).CanIn(r.Context(), sdk.From(r).Tenant, write)
		var granted []string
		for _, p := range []string{read, write} {
			if sdk.From(r).Can(p) {
				granted = append(granted, p)
			}
		}
		return 200, map[string]any{"granted": granted, "can_write": ok}, err
	})
	// /stock/{id}/take is a guarded decrement that leaves a failed
	// condition, and every other storage error, to the SDK to answer.
	h["POST /stock"] = sdk.Func(func(r *http.Request) (int, any, error) {
		var v struct {
			Count int `json:"count"`
		}
		if err := sdk.Bind(r, &v); err != nil {
			return 0, nil, err
		}
		rec, err := sdk.From(r).Records("stock").Insert(r.Context(), v)
		return 201, rec, err
	})
	h["POST /stock/{id}/take"] = sdk.Func(func(r *http.Request) (int, any, error) {
		rec, err := sdk.From(r).Records("stock").Increment(r.Context(), r.PathValue("id"), map[string]float64{"count": -1}, sdk.Filter{Field: "count", Op: sdk.Ge, Value: 1})
		return 200, rec, err
	})
	h["GET /files/{id}"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, rc, err := sdk.From(r).OpenFile(r.Context(), r.PathValue("id"))
		if err != nil {
			sdk.FailErr(w, r, err)
			return
		}
		defer rc.Close()
		io.Copy(w, rc)
	})
	h["GET /received"] = sdk.Func(func(r *http.Request) (int, any, error) { return sdk.From(r).Records("received").List(r) })
	h["GET /call-hello"] = sdk.Func(func(r *http.Request) (int, any, error) {
		res, err := sdk.From(r).Call(r.Context(), "hello", "GET", "/greeting", nil, nil)
		if err != nil {
			return 0, nil, err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return 200, map[string]any{"status": res.StatusCode, "body": string(b)}, nil
	})
	h["POST /move/{id}"] = sdk.Func(func(r *http.Request) (int, any, error) {
		to := r.URL.Query().Get("to")
		b := sdk.From(r).Batch()
		moved := b.Move("items", r.PathValue("id"), 0, map[string]any{}, to)
		if err := b.Commit(r.Context()); err != nil {
			return 0, nil, err
		}
		return 200, moved.Record, nil
	})
	return h
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func main() {
	h := handlers()
	for i, r := range plugin.Routes {
		// A route left without a handler is refused by sdk.Serve.
		plugin.Routes[i].Handler = h[r.Method+" "+r.Path]
	}
	sdk.Serve(&plugin)
}

// poked records each delivery of probe.poked; "fail once" events fail on
// their first delivery, to show that the host delivers again.
func poked(ctx context.Context, ev sdk.Event) error {
	if strings.Contains(string(ev.Payload), "fail once") {
		mu.Lock()
		first := !failed[ev.ID]
		failed[ev.ID] = true
		mu.Unlock()
		if first {
			return errors.New("failing the first delivery on purpose")
		}
	}
	_, err := sdk.FromContext(ctx).Records("received").Insert(ctx, map[string]any{"event_id": ev.ID, "text": strings.TrimSpace(string(ev.Payload))})
	return err
}

// pry takes what a malicious plugin can always reach in its own memory,
// the wire scope and the host client the SDK keeps in unexported fields
// of sdk.Request, to call the host with a scope it altered: the host must
// hold the plugin to the tenant and caller it handed out however the
// plugin tampers with its copy. It panics if the SDK renamed the fields,
// failing the tests that use it loudly.
func pry(req *sdk.Request) (*pb.Scope, pb.Services) {
	v := reflect.ValueOf(req).Elem()
	scope, host := v.FieldByName("scope"), v.FieldByName("host")
	if !scope.IsValid() || !host.IsValid() {
		panic("probe: sdk.Request no longer holds fields scope and host; update pry")
	}
	return *(**pb.Scope)(unsafe.Pointer(scope.UnsafeAddr())), *(*pb.Services)(unsafe.Pointer(host.UnsafeAddr()))
}
