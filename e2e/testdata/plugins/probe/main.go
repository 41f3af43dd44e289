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
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing/iotest"
	"time"

	"github.com/balaidesa/balai/sdk"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

var manifest = sdk.Manifest{
	ID: "probe", Version: "0.1.0", Vendor: "Balai tests", Description: "exercises the host",
	Permissions: []sdk.Permission{
		{Name: "probe.items.read", Roles: []string{"viewer", "operator"}},
		{Name: "probe.items.write", Roles: []string{"operator"}},
	},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/items", Permission: "probe.items.read"},
		{Method: "POST", Path: "/items", Permission: "probe.items.write"},
		{Method: "GET", Path: "/public", Public: true},
		{Method: "GET", Path: "/forged", Permission: "probe.items.read"},
		{Method: "GET", Path: "/stale", Permission: "probe.items.read"},
		{Method: "GET", Path: "/crash", Permission: "probe.items.read"},
		{Method: "GET", Path: "/hang", Permission: "probe.items.read", TimeoutMillis: 500},
		{Method: "POST", Path: "/upload", Permission: "probe.items.write", MaxBodyBytes: 64 << 20},
		{Method: "GET", Path: "/download", Permission: "probe.items.read"},
		{Method: "POST", Path: "/photo", Permission: "probe.items.write", MaxBodyBytes: 16 << 20},
		{Method: "GET", Path: "/env", Permission: "probe.items.read"},
		{Method: "POST", Path: "/poke", Permission: "probe.items.write"},
		{Method: "GET", Path: "/received", Permission: "probe.items.read"},
		{Method: "GET", Path: "/call-hello", Permission: "probe.items.read"},
		{Method: "POST", Path: "/move/{id}", Permission: "probe.items.write"},
		{Method: "GET", Path: "/settings", Permission: "probe.items.read"},
		{Method: "PUT", Path: "/settings", Permission: "probe.items.write"},
		{Method: "GET", Path: "/can", Permission: "probe.items.read"},
		{Method: "GET", Path: "/granted", Permission: "probe.items.read"},
		{Method: "POST", Path: "/stock", Permission: "probe.items.write"},
		{Method: "POST", Path: "/stock/{id}/take", Permission: "probe.items.write"},
		{Method: "GET", Path: "/files/{id}", Permission: "probe.items.read"},
		// A public form with its own limit, and one with the host's default.
		{Method: "POST", Path: "/form", Public: true, RateLimit: &sdk.RateLimit{Requests: 5, Window: time.Hour}},
		{Method: "POST", Path: "/open-form", Public: true},
		{Method: "GET", Path: "/limited", Permission: "probe.items.read", RateLimit: &sdk.RateLimit{Requests: 3, Window: time.Hour}},
		// keyed writes an item; X-Probe-Die makes the plugin die before or
		// after the write, X-Probe-Delay-Ms waits first (headers are not
		// part of an idempotency fingerprint, so a retry can omit them).
		{Method: "POST", Path: "/keyed", Permission: "probe.items.write"},
		{Method: "POST", Path: "/public-keyed", Public: true, RateLimit: &sdk.RateLimit{Requests: 1000, Window: time.Hour}},
		{Method: "POST", Path: "/big", Permission: "probe.items.write"},
	},
	Collections: []sdk.Collection{
		{Name: "items", Fields: []sdk.Field{{Name: "text", Type: sdk.String, Required: true}}},
		{Name: "received", Fields: []sdk.Field{{Name: "event_id", Type: sdk.Int}, {Name: "text", Type: sdk.String}}},
		{Name: "stock", Fields: []sdk.Field{{Name: "count", Type: sdk.Int, Required: true}}},
	},
	Publishes: []string{"probe.poked"},
	Consumes:  []string{"probe.poked"},
	Uses:      []string{"hello.notes.read"},
}

var (
	mu     sync.Mutex
	stale  *pb.Scope
	failed = map[uint64]bool{}
)

func handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /items", sdk.Func(func(r *http.Request) (int, any, error) {
		mu.Lock()
		stale = sdk.From(r).Scope() // kept to be misused by /stale later
		mu.Unlock()
		return sdk.From(r).Records("items").List(r)
	}))
	mux.Handle("POST /items", sdk.Func(func(r *http.Request) (int, any, error) {
		var v struct {
			Text string `json:"text"`
		}
		if err := sdk.Bind(r, &v); err != nil {
			return 0, nil, err
		}
		rec, err := sdk.From(r).Records("items").Insert(r.Context(), v)
		return 201, rec, err
	}))
	mux.Handle("GET /public", sdk.Func(func(r *http.Request) (int, any, error) {
		return 200, map[string]string{"tenant": sdk.From(r).Tenant, "user": sdk.From(r).User}, nil
	}))
	// forged asks for another tenant's records by naming it in the scope and
	// by guessing handles: the host must ignore the one and refuse the other.
	mux.Handle("GET /forged", sdk.Func(func(r *http.Request) (int, any, error) {
		req := sdk.From(r)
		out := map[string]any{}
		scope := *req.Scope()
		scope.Tenant = r.URL.Query().Get("tenant")
		q := &pb.StorageRequest{Scope: &scope, Ops: []*pb.StorageOp{{Op: &pb.StorageOp_Query{Query: &pb.Query{Collection: "items", Count: true, Subtree: true}}}}}
		res, err := req.Host().Storage(r.Context(), q)
		if err != nil {
			return 0, nil, err
		}
		var tenants []string
		for _, rec := range res.Results[0].Records {
			tenants = append(tenants, rec.Tenant)
		}
		out["renamed_scope_tenants"] = tenants
		guess := &pb.Scope{Handle: req.Scope().Handle + 1}
		_, err = req.Host().Storage(r.Context(), &pb.StorageRequest{Scope: guess, Ops: q.Ops})
		out["guessed_handle_error"] = errString(err)
		other := &pb.StorageRequest{Scope: req.Scope(), Ops: []*pb.StorageOp{{Op: &pb.StorageOp_Query{Query: &pb.Query{Collection: "notes"}}}}}
		res, err = req.Host().Storage(r.Context(), other)
		if err == nil && res.Results[0].Error != nil {
			out["other_plugin_collection"] = res.Results[0].Error.Code
		}
		return 200, out, nil
	}))
	mux.Handle("GET /stale", sdk.Func(func(r *http.Request) (int, any, error) {
		mu.Lock()
		s := stale
		mu.Unlock()
		if s == nil {
			return 409, map[string]string{"error": "call /items first"}, nil
		}
		_, err := sdk.From(r).Host().Storage(r.Context(), &pb.StorageRequest{Scope: s, Ops: []*pb.StorageOp{{Op: &pb.StorageOp_Query{Query: &pb.Query{Collection: "items"}}}}})
		return 200, map[string]string{"stale_handle_error": errString(err)}, nil
	}))
	mux.HandleFunc("GET /crash", func(w http.ResponseWriter, r *http.Request) { os.Exit(3) })
	mux.HandleFunc("GET /hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(time.Minute):
		case <-r.Context().Done():
		}
	})
	mux.Handle("POST /upload", sdk.Func(func(r *http.Request) (int, any, error) {
		h := sha256.New()
		n, err := io.Copy(h, r.Body)
		if err != nil {
			return 0, nil, sdk.Errorf(400, "bad_body", "%v", err)
		}
		return 200, map[string]any{"bytes": n, "sha256": hex.EncodeToString(h.Sum(nil))}, nil
	}))
	mux.HandleFunc("GET /download", func(w http.ResponseWriter, r *http.Request) {
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
	mux.Handle("POST /photo", sdk.Func(func(r *http.Request) (int, any, error) {
		var data io.Reader = r.Body
		if n, err := strconv.ParseInt(r.URL.Query().Get("cut"), 10, 64); err == nil {
			data = io.MultiReader(io.LimitReader(r.Body, n), iotest.ErrReader(errors.New("connection reset")))
		}
		f, err := sdk.From(r).PutFile(r.Context(), "photo", data, "image/*")
		if err != nil && data != r.Body {
			// Stay in the request a moment, as a handler with more to do
			// would: the host must not have taken the cut data as whole.
			time.Sleep(300 * time.Millisecond)
		}
		if err != nil {
			return 0, nil, sdk.Errorf(422, "invalid_file", "%v", err)
		}
		return 201, f, nil
	}))
	mux.Handle("GET /env", sdk.Func(func(r *http.Request) (int, any, error) {
		sdk.Logf(r.Context(), "info", "probe env requested")
		return 200, map[string]any{"env": os.Environ()}, nil
	}))
	mux.Handle("POST /poke", sdk.Func(func(r *http.Request) (int, any, error) {
		text := "hello event"
		if r.URL.Query().Get("fail") != "" {
			text = "fail once"
		}
		recs, err := sdk.From(r).Batch().Insert("items", map[string]string{"text": "poked"}).Publish("probe.poked", map[string]string{"text": text}).Commit(r.Context())
		if err != nil {
			return 0, nil, err
		}
		return 201, recs[0][0], nil
	}))
	mux.Handle("GET /settings", sdk.Func(func(r *http.Request) (int, any, error) {
		var v map[string]any
		err := sdk.From(r).Settings(r.Context(), &v)
		return 200, map[string]any{"settings": v}, err
	}))
	mux.Handle("PUT /settings", sdk.Func(func(r *http.Request) (int, any, error) {
		var v map[string]any
		if err := sdk.Bind(r, &v); err != nil {
			return 0, nil, err
		}
		return 204, nil, sdk.From(r).SaveSettings(r.Context(), v)
	}))
	mux.Handle("GET /can", sdk.Func(func(r *http.Request) (int, any, error) {
		q := r.URL.Query()
		ok, err := sdk.From(r).CanIn(r.Context(), q.Get("tenant"), q.Get("perm"))
		return 200, map[string]any{"allowed": ok, "here": sdk.From(r).Can(q.Get("perm"))}, err
	}))
	form := sdk.Func(func(r *http.Request) (int, any, error) {
		return 200, map[string]string{"client": sdk.From(r).ClientAddress, "user": sdk.From(r).User}, nil
	})
	mux.Handle("POST /form", form)
	mux.Handle("POST /open-form", form)
	mux.Handle("GET /limited", form)
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
	mux.Handle("POST /keyed", keyed)
	mux.Handle("POST /public-keyed", keyed)
	// big answers more than the host keeps for an idempotent replay.
	mux.HandleFunc("POST /big", func(w http.ResponseWriter, r *http.Request) {
		if _, err := sdk.From(r).Records("items").Insert(r.Context(), map[string]string{"text": "big"}); err != nil {
			sdk.FailErr(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(make([]byte, 2<<20))
	})
	// /granted shows the permissions the host handed this request: for a
	// call from another plugin, only those that plugin declared it uses.
	mux.Handle("GET /granted", sdk.Func(func(r *http.Request) (int, any, error) {
		ok, err := sdk.From(r).CanIn(r.Context(), sdk.From(r).Tenant, "probe.items.write")
		return 200, map[string]any{"granted": sdk.From(r).Scope().Granted, "can_write": ok}, err
	}))
	// /stock/{id}/take is a guarded decrement that leaves a failed
	// condition, and every other storage error, to the SDK to answer.
	mux.Handle("POST /stock", sdk.Func(func(r *http.Request) (int, any, error) {
		var v struct {
			Count int `json:"count"`
		}
		if err := sdk.Bind(r, &v); err != nil {
			return 0, nil, err
		}
		rec, err := sdk.From(r).Records("stock").Insert(r.Context(), v)
		return 201, rec, err
	}))
	mux.Handle("POST /stock/{id}/take", sdk.Func(func(r *http.Request) (int, any, error) {
		rec, err := sdk.From(r).Records("stock").Increment(r.Context(), r.PathValue("id"), map[string]float64{"count": -1}, sdk.Filter{Field: "count", Op: ">=", Value: 1})
		return 200, rec, err
	}))
	mux.HandleFunc("GET /files/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, rc, err := sdk.From(r).OpenFile(r.Context(), r.PathValue("id"))
		if err != nil {
			sdk.FailErr(w, r, err)
			return
		}
		defer rc.Close()
		io.Copy(w, rc)
	})
	mux.Handle("GET /received", sdk.Func(func(r *http.Request) (int, any, error) { return sdk.From(r).Records("received").List(r) }))
	mux.Handle("GET /call-hello", sdk.Func(func(r *http.Request) (int, any, error) {
		res, err := sdk.From(r).Call(r.Context(), "hello", "GET", "/greeting", nil, nil)
		if err != nil {
			return 0, nil, err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return 200, map[string]any{"status": res.StatusCode, "body": string(b)}, nil
	}))
	mux.Handle("POST /move/{id}", sdk.Func(func(r *http.Request) (int, any, error) {
		to := r.URL.Query().Get("to")
		recs, err := sdk.From(r).Batch().Update("items", r.PathValue("id"), 0, map[string]any{}, to).Commit(r.Context())
		if err != nil {
			return 0, nil, err
		}
		return 200, recs[0][0], nil
	}))
	return mux
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func main() {
	sdk.ServeWith(manifest, handler(), sdk.Options{
		Events: map[string]sdk.EventHandler{
			"probe.poked": func(ctx context.Context, ev sdk.Event) error {
				// "fail once" events fail on their first delivery, to show
				// that the host delivers again.
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
			},
		},
	})
}
