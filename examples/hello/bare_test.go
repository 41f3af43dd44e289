package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"testing"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// The bare hop is the floor the plugin path is measured against: an HTTP
// server whose every request is one go-plugin gRPC exchange (AutoMTLS, the
// SDK's window and worker settings) with a child process that answers fixed
// bytes. It has no authentication, policy, tenant, storage or plugin SDK on
// either side; what the host adds to a plugin route is the difference.

// bareEnv, set in a child's environment, makes the test binary serve as the
// bare plugin instead of running tests; its value is the body to answer.
const bareEnv = "HELLO_BARE_HOP_BODY"

// bareHandshake keeps the bare plugin apart from real ones.
var bareHandshake = goplugin.HandshakeConfig{MagicCookieKey: "HELLO_BARE_HOP", MagicCookieValue: "bare"}

func TestMain(m *testing.M) {
	if body, ok := os.LookupEnv(bareEnv); ok {
		serveBare([]byte(body))
		return
	}
	os.Exit(m.Run())
}

// barePlugin is the go-plugin glue on both sides of the bare hop.
type barePlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	body []byte
}

func (p *barePlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterPluginServer(s, &bareServer{body: p.body})
	return nil
}

func (p *barePlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return pb.NewPluginClient(c), nil
}

// bareServer answers every exchange with 200, application/json and body.
type bareServer struct {
	pb.UnimplementedPluginServer
	body []byte
}

func (s *bareServer) Exchange(stream pb.Plugin_ExchangeServer) error {
	if _, err := stream.Recv(); err != nil {
		return err
	}
	return stream.Send(&pb.ExchangeUp{Part: &pb.HTTPResponsePart{
		Head: &pb.HTTPResponseHead{Status: 200, Headers: []*pb.Header{{Name: "Content-Type", Values: []string{"application/json"}}}},
		Body: s.body,
	}})
}

func serveBare(body []byte) {
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: bareHandshake,
		Plugins:         goplugin.PluginSet{"bare": &barePlugin{body: body}},
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(opts, pb.ServerOptions()...)...)
		},
		Logger: hclog.NewNullLogger(),
	})
}

// startBareHop starts the bare plugin (this test binary, answering body)
// and an HTTP server in front of it on loopback, and returns the server's
// base URL. Both stop when b ends.
func startBareHop(b *testing.B, body []byte) string {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), bareEnv+"="+string(body))
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  bareHandshake,
		Plugins:          goplugin.PluginSet{"bare": &barePlugin{}},
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		GRPCDialOptions:  pb.DialOptions(),
		Logger:           hclog.NewNullLogger(),
	})
	b.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		b.Fatalf("starting the bare plugin: %v", err)
	}
	raw, err := rpc.Dispense("bare")
	if err != nil {
		b.Fatalf("dispensing the bare plugin: %v", err)
	}
	plug := raw.(pb.PluginClient)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stream, err := plug.Exchange(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		req := &pb.HTTPRequest{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery}
		for name, vs := range r.Header {
			req.Headers = append(req.Headers, &pb.Header{Name: name, Values: vs})
		}
		if err := stream.Send(&pb.ExchangeDown{Request: req}); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		up, err := stream.Recv()
		if err != nil || up.Part == nil || up.Part.Head == nil {
			http.Error(w, fmt.Sprintf("bare plugin: %v", err), http.StatusBadGateway)
			return
		}
		for _, h := range up.Part.Head.Headers {
			w.Header()[h.Name] = h.Values
		}
		w.WriteHeader(int(up.Part.Head.Status))
		w.Write(up.Part.Body)
	})}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}
