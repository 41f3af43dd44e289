// Command oldproto is a plugin as an SDK release before v1 built it: it
// offers wire protocols 1 and 2 only. The host speaks protocol 3 alone and
// must refuse it, saying which SDK to rebuild it with, and load the others.
//
// It uses go-plugin directly, with the handshake such a release baked in,
// so that it keeps speaking the old protocols whatever the current SDK
// does.
package main

import (
	"context"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

type old struct {
	goplugin.NetRPCUnsupportedPlugin
}

func (old) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error { return nil }
func (old) GRPCClient(context.Context, *goplugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, nil
}

func main() {
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			MagicCookieKey:   "BALAI_PLUGIN",
			MagicCookieValue: "d1f0c3a8-balai-plugin-v1",
		},
		VersionedPlugins: map[int]goplugin.PluginSet{1: {"balai": old{}}, 2: {"balai": old{}}},
		GRPCServer:       goplugin.DefaultGRPCServer,
	})
}
