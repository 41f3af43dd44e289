package main

import (
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/balaidesa/balai/sdk/sdktest"
)

// BenchmarkPluginPath serves the same handler twice in one run: in-process
// (sdktest) and as a real plugin process over go-plugin, both behind the
// real host (HTTP, authentication, RBAC, enablement, storage). The ratio is
// what the process boundary costs. greeting/bare is the floor: the same
// bytes over a bare go-plugin gRPC hop (bare_test.go), nothing else.
func BenchmarkPluginPath(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "hello")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("building the plugin: %v\n%s", err, out)
	}
	const village = "14.01.01.2009"
	hosts := []struct {
		name string
		h    *sdktest.Host
	}{
		{"in-process", sdktest.New(b, &plugin)},
		{"plugin", sdktest.NewBinary(b, bin, "hello")},
	}
	for _, route := range []struct{ name, path string }{{"greeting", "/greeting"}, {"notes", "/notes?limit=10"}} {
		for _, hc := range hosts {
			h := hc.h
			h.Tenant(village)
			h.Enable("14.01")
			op := h.User("op-"+route.name, "operator", village)
			if route.name == "notes" {
				for i := 0; i < 10; i++ {
					op.Post(village, "/notes", map[string]string{"text": "catatan rapat desa"})
				}
			}
			url := h.URL() + "/api/v1/t/" + village + "/hello" + route.path
			b.Run(route.name+"/"+hc.name, func(b *testing.B) { benchGet(b, url, op.Token) })
			if route.name == "greeting" && hc.name == "plugin" {
				bare := startBareHop(b, op.Get(village, route.path).Body) + "/greeting"
				b.Run("greeting/bare", func(b *testing.B) { benchGet(b, bare, op.Token) })
			}
		}
	}
}

// benchGet sends GET url with a bearer token from 16 keep-alive clients
// per core (32 on two cores, as the wrk runs) and reports the rate
// and the CPU time each request cost in this process and in the plugin's.
func benchGet(b *testing.B, url, token string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(16)
	self0, children0 := cpuTimes()
	b.RunParallel(func(pb *testing.PB) {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		for pb.Next() {
			res, err := client.Do(req)
			if err != nil || res.StatusCode != 200 {
				b.Errorf("GET %s: %v %v", url, err, res)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	reportCPU(b, self0, children0)
}
