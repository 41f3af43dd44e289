package plugin

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"net/http"
	"testing"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/idempotency"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// A body with an idempotency key is read whole to hash it; the plugin
// must still get exactly the same bytes, however large.
func TestSpoolBody(t *testing.T) {
	for _, n := range []int{0, 1, 1000, spoolMemory, spoolMemory + 1, 3 * spoolMemory} {
		data := make([]byte, n)
		rand.Read(data)
		rd, size, sum, cleanup, err := spoolBody(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		got, err := io.ReadAll(rd)
		cleanup()
		want := sha256.Sum256(data)
		if err != nil || !bytes.Equal(got, data) || size != int64(n) || !bytes.Equal(sum, want[:]) {
			t.Errorf("%d bytes: read %d (%v), size %d, hash ok %v", n, len(got), err, size, bytes.Equal(sum, want[:]))
		}
	}
	// A body over the route's limit is the caller's 413, not a hash.
	_, _, _, _, err := spoolBody(http.MaxBytesReader(nil, io.NopCloser(bytes.NewReader(make([]byte, 100))), 10))
	if e, ok := apierr.As(err); !ok || e.Status != 413 || e.Code != "body_too_large" {
		t.Errorf("over the limit: %v", err)
	}
	// No body hashes as empty.
	if _, _, sum, _, err := spoolBody(nil); err != nil || len(sum) != sha256.Size {
		t.Errorf("no body: %x %v", sum, err)
	}
}

// The captured answer is what the client got, unless it is too large to
// keep.
func TestKeyedCallCapture(t *testing.T) {
	head := &pb.HTTPResponseHead{Status: 201, Headers: []*pb.Header{{Name: "content-type", Values: []string{"application/json"}}, {Name: "Set-Cookie", Values: []string{"x=1"}}}}
	for _, tt := range []struct {
		name   string
		chunks []int
		tooBig bool
	}{
		{"small", []int{10, 20}, false},
		{"exactly the cap", []int{idempotency.MaxAnswerBytes / 2, idempotency.MaxAnswerBytes / 2}, false},
		{"over the cap", []int{idempotency.MaxAnswerBytes, 1}, true},
	} {
		k := &keyedCall{}
		k.capture(&pb.HTTPResponsePart{Head: head})
		total := 0
		for _, n := range tt.chunks {
			k.capture(&pb.HTTPResponsePart{Body: make([]byte, n)})
			total += n
		}
		if k.status != 201 || k.header.Get("Content-Type") != "application/json" || k.header.Get("Set-Cookie") != "" {
			t.Errorf("%s: status %d, header %v", tt.name, k.status, k.header)
		}
		if k.tooBig != tt.tooBig || (!tt.tooBig && k.body.Len() != total) || (tt.tooBig && k.body.Len() != 0) {
			t.Errorf("%s: too big %v, %d bytes kept", tt.name, k.tooBig, k.body.Len())
		}
	}
}
