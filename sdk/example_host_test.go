package sdk_test

import (
	"context"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/internal/inproc"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// get serves one GET request to p the way the host hands it over, for a
// caller in tenant whose clock reads now in the IANA zone, and returns the
// body. It stands in for the host in the examples only, which need no
// storage; a vendor tests a plugin with sdktest, which runs a real host.
func get(p *sdk.Plugin, path, tenant, zone string, now time.Time) string {
	in, err := inproc.New(p)
	if err != nil {
		return err.Error()
	}
	var body strings.Builder
	w := pb.NewResponseWriter(func(part *pb.HTTPResponsePart) error {
		body.Write(part.Body)
		return nil
	})
	scope := &pb.Scope{Tenant: tenant, TenantLevel: string(sdk.Village), TimeZone: zone, NowUnixMs: now.UnixMilli()}
	in.ServeHTTP(context.Background(), &pb.HTTPRequest{Method: "GET", Path: path, Scope: scope}, strings.NewReader(""), nil, w)
	w.Close()
	return strings.TrimSpace(body.String())
}
