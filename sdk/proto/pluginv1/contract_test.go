package pluginv1

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"
	"testing/iotest"
)

// A response goes out as a head carrying the first ChunkSize bytes, then
// parts of ChunkSize bytes, the rest on Close; the bytes arrive whole and
// in order, and a response with no body still sends its head.
func TestResponseWriterParts(t *testing.T) {
	for _, tt := range []struct {
		name   string
		size   int
		writes int // the body is written in this many pieces
		status int
		parts  []int // the body length of each part sent
	}{
		{"no body", 0, 0, http.StatusNoContent, []int{0}},
		{"small", 10, 1, http.StatusCreated, []int{10}},
		{"exactly one part", ChunkSize, 1, http.StatusOK, []int{ChunkSize}},
		{"one part and a bit, in small writes", ChunkSize + 5, 7, http.StatusOK, []int{ChunkSize, 5}},
		{"three parts", 2*ChunkSize + 1, 3, http.StatusOK, []int{ChunkSize, ChunkSize, 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := make([]byte, tt.size)
			for i := range body {
				body[i] = byte(i * 7)
			}
			var sent []*HTTPResponsePart
			var got []byte
			w := NewResponseWriter(func(p *HTTPResponsePart) error {
				got = append(got, p.Body...) // copied: the writer reuses its buffer
				sent = append(sent, &HTTPResponsePart{Head: p.Head, Body: make([]byte, len(p.Body))})
				return nil
			})
			w.Header().Set("Content-Type", "application/octet-stream")
			w.WriteHeader(tt.status)
			w.WriteHeader(http.StatusTeapot) // only the first counts
			for i := range tt.writes {
				lo, hi := i*tt.size/tt.writes, (i+1)*tt.size/tt.writes
				if n, err := w.Write(body[lo:hi]); err != nil || n != hi-lo {
					t.Fatalf("Write: %d, %v", n, err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if len(sent) != len(tt.parts) {
				t.Fatalf("%d parts, want %d", len(sent), len(tt.parts))
			}
			for i, p := range sent {
				if len(p.Body) != tt.parts[i] {
					t.Errorf("part %d holds %d bytes, want %d", i, len(p.Body), tt.parts[i])
				}
				if (p.Head != nil) != (i == 0) {
					t.Errorf("part %d: head %v", i, p.Head)
				}
			}
			head := sent[0].Head
			if head.Status != int32(tt.status) || len(head.Headers) != 1 || head.Headers[0].Values[0] != "application/octet-stream" {
				t.Errorf("head %v", head)
			}
			if !bytes.Equal(got, body) {
				t.Error("the body arrived changed")
			}
			if !w.Started() {
				t.Error("Started() is false after Close")
			}
		})
	}
}

// A failed send stops the response: Write and Close report it.
func TestResponseWriterSendError(t *testing.T) {
	gone := errors.New("host went away")
	w := NewResponseWriter(func(*HTTPResponsePart) error { return gone })
	if _, err := w.Write(make([]byte, ChunkSize)); !errors.Is(err, gone) {
		t.Errorf("Write: %v", err)
	}
	if _, err := w.Write([]byte("more")); !errors.Is(err, gone) {
		t.Errorf("Write after a failure: %v", err)
	}
	if err := w.Close(); !errors.Is(err, gone) {
		t.Errorf("Close: %v", err)
	}
}

// The chunk reader gives the chunks' bytes in order, skips empty chunks,
// and ends with the error that ends the stream.
func TestChunkReader(t *testing.T) {
	chunks := [][]byte{[]byte("wo"), nil, []byte("rld"), {}, []byte("!")}
	next := func(end error) func() ([]byte, error) {
		i := 0
		return func() ([]byte, error) {
			if i == len(chunks) {
				return nil, end
			}
			i++
			return chunks[i-1], nil
		}
	}
	r := NewChunkReader([]byte("hello "), next(io.EOF))
	if err := iotest.TestReader(r, []byte("hello world!")); err != nil {
		t.Error(err)
	}
	broken := errors.New("stream reset")
	got, err := io.ReadAll(NewChunkReader(nil, next(broken)))
	if string(got) != "world!" || !errors.Is(err, broken) {
		t.Errorf("read %q, %v; want the bytes, then the stream's error", got, err)
	}
}
