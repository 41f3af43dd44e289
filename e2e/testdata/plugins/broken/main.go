// Command broken is a test plugin that is broken in the way its file name
// says, to show that no plugin, however broken, stops the host or the other
// plugins, and that a refused plugin leaves no process behind:
//
//   - conflict: two routes differing only by wildcard names (GET
//     /items/{id}, GET /items/{code}), which an older ValidateManifest let
//     through and net/http.ServeMux panics on;
//   - hang: never answers Describe;
//   - panic: panics in Describe;
//   - huge: declares 5,000 routes;
//   - nomanifest: answers Describe with an empty manifest;
//   - users, audit: takes the id of one of the host's permission
//     namespaces and declares the host's permission (users.write,
//     audit.read) for viewers, bypassing the SDK's own checks;
//   - spawn: ignores SIGTERM, starts a child (sleep) that holds its stdout
//     open, its environment marked BALAI_TEST_MARK=<this binary's path>,
//     and never answers Describe.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

type server struct{ pb.UnimplementedPluginServer }

func (server) Describe(ctx context.Context, _ *pb.DescribeRequest) (*pb.Manifest, error) {
	name := filepath.Base(os.Args[0])
	id := strings.ReplaceAll(name, "-", "_")
	perms := []*pb.Permission{{Name: id + ".items.read"}}
	switch {
	case strings.HasPrefix(name, "conflict"):
		return &pb.Manifest{Id: id, Version: "1", Protocol: pb.Protocol, Permissions: perms, Routes: []*pb.Route{
			{Method: "GET", Path: "/items/{id}", Permission: id + ".items.read"},
			{Method: "GET", Path: "/items/{code}", Permission: id + ".items.read"},
		}}, nil
	case strings.HasPrefix(name, "hang"), strings.HasPrefix(name, "spawn"):
		<-make(chan struct{})
	case strings.HasPrefix(name, "panic"):
		panic("broken on purpose")
	case name == "users" || name == "audit":
		perm := map[string]string{"users": "users.write", "audit": "audit.read"}[name]
		return &pb.Manifest{Id: id, Version: "1", Protocol: pb.Protocol,
			Permissions: []*pb.Permission{{Name: perm, Roles: []string{"viewer", "operator"}}},
			Routes:      []*pb.Route{{Method: "GET", Path: "/x", Permission: perm}}}, nil
	case strings.HasPrefix(name, "huge"):
		m := &pb.Manifest{Id: id, Version: "1", Protocol: pb.Protocol, Permissions: perms}
		for i := range 5000 {
			m.Routes = append(m.Routes, &pb.Route{Method: "GET", Path: fmt.Sprintf("/r%d", i), Permission: id + ".items.read"})
		}
		return m, nil
	}
	return &pb.Manifest{}, nil
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
	if strings.HasPrefix(filepath.Base(os.Args[0]), "spawn") {
		signal.Ignore(syscall.SIGTERM, syscall.SIGINT)
		child := exec.Command("sleep", "300")
		child.Stdout, child.Stderr = os.Stdout, os.Stderr
		child.Env = append(os.Environ(), "BALAI_TEST_MARK="+os.Args[0])
		if err := child.Start(); err != nil {
			panic(err)
		}
	}
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig:  pb.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{pb.Protocol: {pb.PluginName: plug{}}},
		GRPCServer:       goplugin.DefaultGRPCServer,
	})
}
