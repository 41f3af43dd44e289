// Command badmanifest speaks the protocol but declares an invalid manifest
// (a route with an undeclared permission); the host must refuse it and load
// the others.
package main

import (
	"context"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

type server struct{ pb.UnimplementedPluginServer }

func (server) Describe(context.Context, *pb.DescribeRequest) (*pb.Manifest, error) {
	return &pb.Manifest{Id: "badmanifest", Version: "1", Routes: []*pb.Route{{Method: "GET", Path: "/x", Permission: "badmanifest.never.declared"}}}, nil
}

func (server) Setup(context.Context, *pb.SetupRequest) (*pb.SetupResponse, error) {
	return &pb.SetupResponse{}, nil
}

type plug struct {
	goplugin.NetRPCUnsupportedPlugin
}

func (plug) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterPluginServer(s, server{})
	return nil
}

func (plug) GRPCClient(context.Context, *goplugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, nil
}

func main() {
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig:  pb.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{pb.Protocol: {pb.PluginName: plug{}}},
		GRPCServer:       goplugin.DefaultGRPCServer,
	})
}
