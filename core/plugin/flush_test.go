package plugin

import (
	"io"
	"sync/atomic"
	"testing"
	"time"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// A plugin's answer reaches the client without an extra flush when its
// next part (or its end) is already there, and is flushed when the plugin
// takes longer, so that a streamed answer still arrives as it comes.
func TestAwaitPartFlushesOnlyWhenThePluginPauses(t *testing.T) {
	var flushes atomic.Int32
	flush := func() { flushes.Add(1) }
	ready := func() (*pb.HTTPResponsePart, error) { return nil, io.EOF }
	for i := 0; i < 100; i++ {
		if _, err := awaitPart(ready, flush); err != io.EOF {
			t.Fatalf("awaitPart = %v, want the end", err)
		}
	}
	if n := flushes.Load(); n > 2 {
		// A descheduled test may miss the deadline once or twice.
		t.Errorf("%d flushes for 100 answers whose end was there at once", n)
	}
	flushes.Store(0)
	part := &pb.HTTPResponsePart{Body: []byte("later")}
	slow := func() (*pb.HTTPResponsePart, error) {
		time.Sleep(20 * flushDelay)
		if flushes.Load() != 1 {
			t.Errorf("the client was not flushed while the plugin paused")
		}
		return part, nil
	}
	if got, err := awaitPart(slow, flush); got != part || err != nil {
		t.Fatalf("awaitPart = %v, %v", got, err)
	}
	if n := flushes.Load(); n != 1 {
		t.Errorf("%d flushes while the plugin paused once, want 1", n)
	}
	if got, err := awaitPart(slow, nil); got != part || err != nil {
		t.Fatalf("awaitPart without a flush = %v, %v", got, err)
	}
}
