package plugin

import (
	"crypto/rand"
	"encoding/binary"
	"sync"

	"github.com/balaidesa/balai/core/idempotency"
	"github.com/balaidesa/balai/core/rbac"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// scopeEntry is what the host remembers of a handle it gave a plugin.
type scopeEntry struct {
	plugin    string
	tenant    string
	user      string     // "" for public routes without login and for events
	limit     rbac.Limit // the caller's API token limit
	requestID string
	// perm is the permission of the route being served: moving a record to
	// another tenant needs it there too.
	perm string
	// granted mirrors pb.Scope.Granted.
	granted []string
	// client is the caller's address, passed on to calls to other plugins.
	client string
	// idem is the idempotency key the request holds: its writes mark it.
	idem *idempotency.Claim
	// may, for a request one plugin sent another, limits the permissions
	// it acts with (Runtime.callLimit); nil for a user's own request.
	may func(perm string) bool
	// depth counts the plugin-to-plugin calls that led to this request.
	depth int
	// event marks an event delivery: no caller, so storage shows personal
	// fields in full and does not audit them.
	event bool
}

// scopeTable maps live handles to their scopes. A handle lives as long as
// the request or event delivery it was made for, and it is only honoured
// for the plugin it was handed to: a plugin cannot borrow another's scope,
// nor name a tenant it was not given.
type scopeTable struct {
	mu sync.RWMutex
	m  map[uint64]*scopeEntry
}

func newScopeTable() *scopeTable { return &scopeTable{m: map[uint64]*scopeEntry{}} }

func (t *scopeTable) open(e *scopeEntry) uint64 {
	var b [8]byte
	for {
		_, _ = rand.Read(b[:])
		h := binary.LittleEndian.Uint64(b[:])
		if h == 0 {
			continue
		}
		t.mu.Lock()
		if _, taken := t.m[h]; !taken {
			t.m[h] = e
			t.mu.Unlock()
			return h
		}
		t.mu.Unlock()
	}
}

func (t *scopeTable) close(h uint64) {
	t.mu.Lock()
	delete(t.m, h)
	t.mu.Unlock()
}

// lookup resolves a scope from a plugin's call; ok is false for an unknown
// or expired handle, or one that belongs to another plugin.
func (t *scopeTable) lookup(plugin string, s *pb.Scope) (*scopeEntry, bool) {
	if s == nil {
		return nil, false
	}
	t.mu.RLock()
	e, ok := t.m[s.Handle]
	t.mu.RUnlock()
	if !ok || e.plugin != plugin {
		return nil, false
	}
	return e, true
}
