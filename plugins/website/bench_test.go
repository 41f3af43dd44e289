package main

// The website on a regency-sized data set: Kampar's 250 villages in 21
// districts, each with a year of news (one a month) and two standing
// pages: 3,500 articles of some 1,500 characters, seeded through the API.
// Measured at the regency (its roll-up, the first page of its news, the
// portal's widget, its Atom feed and its sitemap) and at one village (its
// news). Run once per database:
//
//	go test -run '^$' -bench BenchmarkWebsiteRegency -benchtime 20x ./plugins/website/
//	BALAI_TEST_DATABASE_URL=postgres://... go test -run '^$' -bench BenchmarkWebsiteRegency -benchtime 20x ./plugins/website/

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk/sdktest"
)

const (
	benchDistricts       = 21
	benchVillages        = 250
	benchNewsPerVillage  = 12
	benchPagesPerVillage = 2
)

func benchVillage(i int) string {
	return fmt.Sprintf("14.01.%02d.%04d", i%benchDistricts+1, 2001+i/benchDistricts)
}

func BenchmarkWebsiteRegency(b *testing.B) {
	backends := []struct{ name, url string }{{"sqlite", ""}}
	if base := os.Getenv(storetest.EnvURL); base != "" {
		backends = append(backends, struct{ name, url string }{"postgres", storetest.NewSchema(b, base)})
	}
	for _, be := range backends {
		var opts []sdktest.Option
		if be.url != "" {
			opts = append(opts, sdktest.WithDatabase(be.url))
		}
		h := sdktest.New(b, &plugin, opts...)
		for i := range benchVillages {
			h.Tenant(benchVillage(i))
		}
		h.Enable("14.01")
		op := h.User("kab-op", "operator", "14.01")
		body := strings.Repeat("Warga desa bergotong royong membersihkan saluran air dan jalan desa. ", 22)
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan string, benchVillages)
		sem := make(chan struct{}, 4)
		for i := range benchVillages {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				v := benchVillage(i)
				for n := range benchNewsPerVillage + benchPagesPerVillage {
					in := map[string]any{"title": fmt.Sprintf("Kegiatan desa bulan %d", n+1), "body": body, "status": "published",
						"publish_at": time.Now().AddDate(0, 0, -30*n-i%30).UTC().Format(time.RFC3339), "category": "kegiatan"}
					if n >= benchNewsPerVillage {
						in["kind"], in["category"], in["title"] = "page", "sejarah", fmt.Sprintf("Sejarah desa %d", n)
					}
					if res := op.Post(v, "/articles", in); res.Status != http.StatusCreated {
						errs <- fmt.Sprintf("%s: %d %s", v, res.Status, res.Body)
						return
					}
				}
			}(i)
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			b.Fatal(e)
		}
		b.Logf("%s: seeded %d articles in %.1f s", be.name, benchVillages*(benchNewsPerVillage+benchPagesPerVillage), time.Since(start).Seconds())
		anon := h.Anonymous()
		for _, tc := range []struct{ name, tenant, path string }{
			{"summary", "14.01", "/summary"},
			{"news", "14.01", "/articles?kind=news&limit=10"},
			{"news_village", benchVillage(7), "/articles?kind=news&limit=10"},
			{"feed", "14.01", "/feed.xml"},
		} {
			b.Run(be.name+"/"+tc.name, func(b *testing.B) {
				for b.Loop() {
					if res := anon.Get(tc.tenant, tc.path); res.Status != http.StatusOK {
						b.Fatalf("%s: %d %s", tc.path, res.Status, res.Body)
					}
				}
			})
		}
		// The sitemap is held to 10 calls a minute per client: each call
		// is another reader's.
		var readers []*sdktest.Client
		for i := range 25 {
			readers = append(readers, h.User(fmt.Sprintf("reader-%d", i), "viewer", benchVillage(i)))
		}
		b.Run(be.name+"/sitemap", func(b *testing.B) {
			i := 0
			for b.Loop() {
				if res := readers[i%len(readers)].Get("14.01", "/sitemap.xml"); res.Status != http.StatusOK || !strings.Contains(string(res.Body), "sejarah-desa-13") {
					b.Fatalf("sitemap: %d %.300s", res.Status, res.Body)
				}
				i++
			}
		})
		b.Run(be.name+"/widget", func(b *testing.B) {
			for b.Loop() {
				if ws := h.PublicWidgets("14.01"); len(ws) != 1 {
					b.Fatalf("widgets: %d", len(ws))
				}
			}
		})
	}
}
