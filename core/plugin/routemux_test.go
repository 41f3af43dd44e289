package plugin

import (
	"strings"
	"testing"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// The host's route table refuses, instead of panicking on, patterns that
// net/http.ServeMux will not take, whatever let them through validation.
func TestRouteMuxRefusesWhatServeMuxPanicsOn(t *testing.T) {
	cases := []struct {
		name   string
		routes []*pb.Route
		want   string
	}{
		{"fine", []*pb.Route{{Method: "GET", Path: "/items/{id}"}, {Method: "GET", Path: "/items/special"}}, ""},
		{"wildcard names differ", []*pb.Route{{Method: "GET", Path: "/items/{id}"}, {Method: "GET", Path: "/items/{code}"}}, "route GET /items/{code} cannot be served"},
		{"same pattern twice", []*pb.Route{{Method: "GET", Path: "/a"}, {Method: "GET", Path: "/a"}}, "route GET /a cannot be served"},
		{"bad wildcard", []*pb.Route{{Method: "GET", Path: "/a/{x"}}, "cannot be served"},
		{"empty method and path", []*pb.Route{{}}, "cannot be served"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mux, err := routeMux(&pb.Manifest{Routes: c.routes}, false)
			switch {
			case c.want == "" && (err != nil || mux == nil):
				t.Fatalf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v; want an error with %q", err, c.want)
			}
		})
	}
	for code, want := range map[int32]int{0: 502, 99: 502, 100: 502, 199: 502, 200: 200, 599: 599, 600: 502, 1000: 502, -1: 502} {
		if got := validStatus(code); got != want {
			t.Errorf("validStatus(%d) = %d, want %d", code, got, want)
		}
	}
}
