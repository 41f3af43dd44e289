package plugin

import (
	"github.com/balaidesa/balai/core/tenancy"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// stamp sets the time fields of a scope the host sends with a request or
// an event: the tenant's time zone (tenancy.TimeZone, from its province)
// and the host's clock (host.Config.Clock), which the plugin takes as its
// "now" instead of its own. It returns s.
func (rt *Runtime) stamp(s *pb.Scope) *pb.Scope {
	s.TimeZone = tenancy.TimeZone(s.Tenant)
	s.NowUnixMs = rt.h.Now().UnixMilli()
	return s
}
