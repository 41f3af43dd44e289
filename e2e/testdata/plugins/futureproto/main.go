// Command futureproto speaks only a protocol version newer than this
// host's; the host must refuse it, saying to upgrade the host, and load
// the others. Like oldproto it uses go-plugin directly, with the handshake
// the SDK bakes in.
package main

import (
	"context"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

type future struct {
	goplugin.NetRPCUnsupportedPlugin
}

func (future) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error { return nil }
func (future) GRPCClient(context.Context, *goplugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, nil
}

func main() {
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			MagicCookieKey:   "BALAI_PLUGIN",
			MagicCookieValue: "d1f0c3a8-balai-plugin-v1",
		},
		VersionedPlugins: map[int]goplugin.PluginSet{99: {"balai": future{}}},
		GRPCServer:       goplugin.DefaultGRPCServer,
	})
}
