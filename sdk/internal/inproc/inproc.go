// Package inproc lets the test kit (sdk/sdktest) run an sdk.Plugin inside
// the host's process without making that plumbing part of package sdk's
// vendor surface: package sdk fills New in at init.
package inproc

import pb "github.com/balaidesa/balai/sdk/proto/pluginv1"

// New turns an *sdk.Plugin into the in-process plugin the host loads,
// after the same checks sdk.Serve makes. Package sdk sets it.
var New func(plugin any) (pb.InProcess, error)
