package plugin

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/idempotency"
	"github.com/balaidesa/balai/core/store"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// edge holds what guards plugin routes from outside callers beyond
// authentication: per-client rate limits and idempotency keys.
type edge struct {
	limiter *rateLimiter
	keys    *idempotency.Store
}

func newEdge(db *store.DB) *edge {
	return &edge{limiter: newRateLimiter(maxRateBuckets), keys: idempotency.New(db)}
}

// noteRoute tells the access log which plugin route serves the request, as
// a pattern: /api/v1/t/{tenant}/population/families/{kk}.
func noteRoute(ctx context.Context, c *call, r *resolved) {
	_, path, ok := strings.Cut(r.pattern, " ")
	if !ok {
		path = r.pattern
	}
	api.NoteRoute(ctx, Prefix+"{tenant}/"+c.plugin+path, c.tenant, c.plugin)
}

// spoolMemory is how much of a request body with an idempotency key is
// held in memory; the rest goes to a temporary file.
const spoolMemory = 1 << 20

// spoolBody reads a whole body (already bounded by the route's limit) so
// that its hash is known before the plugin sees it, and returns a reader
// of the same bytes, their size and SHA-256, and a cleanup to call after
// the request.
func spoolBody(body io.Reader) (io.Reader, int64, []byte, func(), error) {
	h := sha256.New()
	if body == nil {
		return nil, 0, h.Sum(nil), func() {}, nil
	}
	var buf bytes.Buffer
	n, err := io.CopyN(io.MultiWriter(&buf, h), body, spoolMemory+1)
	if err != nil && err != io.EOF {
		return nil, 0, nil, nil, bodyError(err)
	}
	if n <= spoolMemory {
		return bytes.NewReader(buf.Bytes()), n, h.Sum(nil), func() {}, nil
	}
	f, err := os.CreateTemp("", "balai-body-")
	if err != nil {
		return nil, 0, nil, nil, err
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	if _, err := f.Write(buf.Bytes()); err != nil {
		cleanup()
		return nil, 0, nil, nil, err
	}
	m, err := io.Copy(io.MultiWriter(f, h), body)
	if err != nil {
		cleanup()
		return nil, 0, nil, nil, bodyError(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		cleanup()
		return nil, 0, nil, nil, err
	}
	return f, n + m, h.Sum(nil), cleanup, nil
}

// keyedCall is an unsafe request that holds an idempotency key: its
// answer is captured as it streams to the client, to be kept for replay.
type keyedCall struct {
	claim   *idempotency.Claim
	status  int
	header  http.Header
	body    bytes.Buffer
	tooBig  bool
	lost    bool // the client went away mid-answer: the capture is partial
	cleanup func()
}

// claimKey handles the Idempotency-Key of an unsafe request: it validates
// the key, reads the body to fingerprint it, and claims the key. It
// returns the claim to run the request under, or replayed=true when it
// has answered w with the first request's kept answer, or an error to
// answer (400 invalid_idempotency_key, 413, 409 and 422 from
// idempotency.Store.Begin).
func (rt *Runtime) claimKey(w http.ResponseWriter, r *http.Request, c *call, res *resolved) (k *keyedCall, replayed bool, err error) {
	key := r.Header.Get(idempotency.Header)
	if !idempotency.ValidKey(key) || len(r.Header.Values(idempotency.Header)) > 1 {
		return nil, false, apierr.BadRequest("invalid_idempotency_key", "the Idempotency-Key header must be one value of 1 to %d printable ASCII characters, such as a UUID", idempotency.MaxKeyLength)
	}
	body, size, sum, cleanup, err := spoolBody(c.body)
	if err != nil {
		return nil, false, err
	}
	if body != nil {
		c.body, c.size = body, size
	}
	caller := "user:" + c.user
	if c.user == "" {
		caller = "addr:" + c.client
	}
	fp := idempotency.Fingerprint(c.plugin, c.method, c.path, c.rawQuery, sum)
	claim, answer, err := rt.edge.keys.Begin(r.Context(), c.tenant, caller, key, fp, res.timeout+30*time.Second)
	if err != nil || answer != nil {
		cleanup()
	}
	if err != nil {
		return nil, false, err
	}
	if answer != nil {
		for name, vs := range answer.Header {
			w.Header()[name] = vs
		}
		w.Header().Set(idempotency.ReplayedHeader, "true")
		w.WriteHeader(answer.Status)
		_, _ = w.Write(answer.Body)
		return nil, true, nil
	}
	return &keyedCall{claim: claim, cleanup: cleanup}, false, nil
}

// capture records a response part on its way to the client.
func (k *keyedCall) capture(p *pb.HTTPResponsePart) {
	if p.Head != nil {
		k.status = int(p.Head.Status)
		k.header = http.Header{}
		for _, h := range p.Head.Headers {
			if !hopHeaders[http.CanonicalHeaderKey(h.Name)] {
				k.header[http.CanonicalHeaderKey(h.Name)] = h.Values
			}
		}
	}
	if k.tooBig {
		return
	}
	if k.body.Len()+len(p.Body) > idempotency.MaxAnswerBytes {
		k.tooBig = true
		k.body = bytes.Buffer{}
		return
	}
	k.body.Write(p.Body)
}

// settle ends the claim once the request is over. sendErr is what send
// returned (an error means the plugin never answered); broken says the
// plugin's answer broke off. A complete answer below 500 is kept for
// replay; otherwise the key is released when nothing was written, and
// settled as "outcome unknown" when something was.
func (rt *Runtime) settle(ctx context.Context, c *call, k *keyedCall, sendErr error) {
	defer k.cleanup()
	// The client may have gone: the bookkeeping must still be done.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	var err error
	if sendErr != nil || c.broken || k.lost || k.status == 0 || k.status >= 500 {
		_, err = k.claim.Abandon(ctx)
	} else {
		err = k.claim.Complete(ctx, k.status, k.header, k.body.Bytes(), !k.tooBig)
	}
	if err != nil {
		rt.log.Error("settling an idempotency key failed", "plugin", c.plugin, "request_id", c.requestID, "err", err)
	}
}
