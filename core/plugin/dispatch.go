package plugin

import (
	"context"
	"runtime/debug"
	"slices"
	"time"

	"github.com/balaidesa/balai/core/events"
	"github.com/balaidesa/balai/core/tenancy"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// consumers lists the loaded plugins that consume an event.
func (rt *Runtime) consumers(name string) []string {
	var out []string
	for _, in := range rt.Instances() {
		if m := in.Manifest(); m != nil && slices.Contains(m.Consumes, name) {
			out = append(out, m.Id)
		}
	}
	return out
}

// dispatcher delivers the outbox to consumers, in event order per consumer,
// retrying with backoff until each delivery is acknowledged.
type dispatcher struct {
	rt   *Runtime
	wake chan struct{}
}

func newDispatcher(rt *Runtime) *dispatcher {
	return &dispatcher{rt: rt, wake: make(chan struct{}, 1)}
}

func (d *dispatcher) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *dispatcher) run(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		for _, in := range d.rt.Instances() {
			if m := in.Manifest(); m != nil && len(m.Consumes) > 0 {
				d.drainGuarded(ctx, in)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.wake:
		}
	}
}

// drainGuarded is drain with a panic logged and contained: the delivery
// loop serves every plugin and must outlive one that breaks it.
func (d *dispatcher) drainGuarded(ctx context.Context, in *Instance) {
	defer func() {
		if v := recover(); v != nil {
			d.rt.log.Error("event delivery panicked", "plugin", in.ID(), "panic", v, "stack", string(debug.Stack()))
		}
	}()
	d.drain(ctx, in)
}

// drain delivers what is due for one consumer and stops at the first
// failure, so a later event never overtakes an earlier one.
func (d *dispatcher) drain(ctx context.Context, in *Instance) {
	m := in.Manifest()
	db := d.rt.h.DB.WithContext(ctx)
	for ctx.Err() == nil {
		due, err := events.Due(db, m.Id, 100)
		if err != nil {
			if ctx.Err() == nil {
				d.rt.log.Error("reading event outbox", "plugin", m.Id, "err", err)
			}
			return
		}
		if len(due) == 0 {
			return
		}
		for _, p := range due {
			proc, _ := in.live()
			if proc == nil {
				return
			}
			if !d.rt.modules.Enabled(p.Event.Tenant, m.Id) {
				events.Delivered(db, p.EventID, m.Id, "skipped: module not enabled for the tenant")
				d.rt.metrics.events.WithLabelValues(m.Id, "skipped").Inc()
				continue
			}
			if err := d.deliver(ctx, in, proc, p); err != nil {
				attempts := p.Attempts + 1
				wait := min(time.Second<<min(attempts, 9), 5*time.Minute)
				events.Failed(db, p.EventID, m.Id, attempts, err.Error(), time.Now().Add(wait))
				d.rt.metrics.events.WithLabelValues(m.Id, "failed").Inc()
				d.rt.log.Warn("event delivery failed", "plugin", m.Id, "event", p.Event.Name, "id", p.EventID, "attempt", attempts, "retry_in", wait, "err", err)
				return
			}
			if err := events.Delivered(db, p.EventID, m.Id, ""); err != nil {
				return
			}
			d.rt.metrics.events.WithLabelValues(m.Id, "delivered").Inc()
		}
	}
}

func (d *dispatcher) deliver(ctx context.Context, in *Instance, proc *process, p events.Pending) error {
	m := in.Manifest()
	level, _, _ := tenancy.ParseCode(p.Event.Tenant)
	var perms []string
	for _, pp := range m.Permissions {
		perms = append(perms, pp.Name)
	}
	e := &scopeEntry{plugin: m.Id, tenant: p.Event.Tenant, requestID: "event-" + p.Event.Name, granted: perms, event: true}
	h := d.rt.scopes.open(e)
	defer d.rt.scopes.close(h)
	dctx, cancel := context.WithTimeout(ctx, d.rt.cfg.CallTimeout)
	defer cancel()
	ev := &pb.EventDelivery{
		Scope: d.rt.stamp(&pb.Scope{Handle: h, Tenant: p.Event.Tenant, TenantLevel: string(level), Granted: perms, RequestId: e.requestID, DeadlineUnixMs: time.Now().Add(d.rt.cfg.CallTimeout).UnixMilli()}),
		Id:    p.EventID, Name: p.Event.Name, SourcePlugin: p.Event.Plugin, Payload: p.Event.Payload, AtUnixMs: p.Event.CreatedAt.UnixMilli(),
	}
	if proc.inproc != nil {
		return proc.inproc.Deliver(dctx, ev, proc.host)
	}
	_, err := proc.conn.client.Deliver(dctx, ev)
	return err
}
