package main

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk/sdktest"
)

func TestScreens(t *testing.T) {
	clock := sdktest.NewClock(time.Date(2026, 6, 1, 3, 0, 0, 0, time.UTC))
	sdktest.Each(t, &plugin, func(t *testing.T, h *sdktest.Host) {
		h.Tenant(villageA)
		h.Tenant(villageB)
		h.Enable(regency)
		op := h.User("op-a", "operator", villageA)
		head := h.User("kades-a", "admin", villageA)
		reg := h.User("kampar", "viewer", regency)
		anon := h.Anonymous()

		if menu := h.Menu(villageA, "op-a"); len(menu) != 1 || menu[0].Label != "Pembangunan" {
			t.Errorf("menu %+v", menu)
		}
		// A form with a mistake comes back with the error under its field
		// and the values kept.
		form := url.Values{"name": {"Jalan Usaha Tani Dusun II"}, "kind": {"road"}, "year": {"2026"}, "funding_dana_desa": {"150.000.000"},
			"funding_swadaya": {"5000000"}, "location.lat": {"0,3321"}, "location.lng": {"101.0205"}, "planned_start": {"2026-03-01"}, "planned_end": {"2026-02-01"}, "location.rt": {"003"},
			"volume": {"450,5"}, "unit": {"m"}, "executor_lead": {"Pak Ketua"}}
		res := op.PostForm(villageA, "/manage/new", form)
		if res.Status != 422 || !strings.Contains(res.HTML, "sebelum tanggal mulai") || !strings.Contains(res.HTML, "Jalan Usaha Tani Dusun II") {
			t.Fatalf("bad form: %d %s", res.Status, res.HTML)
		}
		form.Set("planned_end", "2026-08-31")
		res = op.PostForm(villageA, "/manage/new", form)
		if res.Status != 303 || !strings.Contains(res.Location, "/manage/projects/") {
			t.Fatalf("create: %d %s %s", res.Status, res.Location, res.HTML)
		}
		id := res.Location[strings.LastIndex(res.Location, "/")+1:]
		res = op.GetPage(villageA, "/manage/projects/"+id)
		if res.Status != 200 || !strings.Contains(res.HTML, "Rp155.000.000") || !strings.Contains(res.HTML, "Pak Ketua") || !strings.Contains(res.HTML, "Laporkan progres") {
			t.Errorf("project page: %d %s", res.Status, res.HTML)
		}
		if strings.Contains(res.HTML, "Batalkan proyek") {
			t.Errorf("an operator sees the cancellation")
		}
		res = op.GetPage(villageA, "/manage/projects/"+id+"/edit")
		if res.Status != 200 || !strings.Contains(res.HTML, `value="150000000"`) || !strings.Contains(res.HTML, `value="450.5"`) {
			t.Errorf("edit page: %d %s", res.Status, res.HTML)
		}
		form.Set("name", "Jalan Usaha Tani Dusun III")
		if res := op.PostForm(villageA, "/manage/projects/"+id+"/edit", form); res.Status != 303 || res.Flash != "Perubahan proyek disimpan." {
			t.Errorf("saving the edit: %d %s", res.Status, res.HTML)
		}
		form.Set("name", "Jalan Usaha Tani Dusun II")
		op.PostForm(villageA, "/manage/projects/"+id+"/edit", form)
		res = op.GetPage(villageA, "/manage")
		if !strings.Contains(res.HTML, "Jalan Usaha Tani Dusun II") || !strings.Contains(res.HTML, "Tambah proyek") {
			t.Errorf("list: %s", res.HTML)
		}
		if res := op.GetPage(villageA, "/manage?behind=1"); !strings.Contains(res.HTML, "Jalan Usaha Tani Dusun II") {
			t.Errorf("the late filter (planned since March, no report by June): %s", res.HTML)
		}
		// The public page: no chair's name.
		res = anon.PublicPage("GET", villageA, "/projects/"+id, nil)
		if res.Status != 200 || strings.Contains(res.HTML, "Pak Ketua") || !strings.Contains(res.HTML, "Jalan Usaha Tani Dusun II") || !strings.Contains(res.HTML, "mlat=0.332100&amp;mlon=101.020500") {
			t.Errorf("public page: %d %s", res.Status, res.HTML)
		}
		res = anon.PublicPage("GET", regency, "/", nil)
		if res.Status != 200 || !strings.Contains(res.HTML, "Jalan Usaha Tani Dusun II") || !strings.Contains(res.HTML, "/"+villageA+"/development/projects/"+id) {
			t.Errorf("regency public list: %d %s", res.Status, res.HTML)
		}
		// The regency's roll-up: one row per village, and the project late
		// (planned since March, nothing reported by June).
		res = reg.GetPage(regency, "/manage")
		if res.Status != 200 || !strings.Contains(res.HTML, "Tenant "+villageB) || !strings.Contains(res.HTML, "/console/"+villageA+"/m/development/manage/projects/"+id) {
			t.Errorf("rollup: %d %s", res.Status, res.HTML)
		}
		// Cancellation by the village head.
		res = head.PostForm(villageA, "/manage/projects/"+id+"/cancel", url.Values{"reason": {"Dialihkan"}, "confirmed": {"1"}})
		if res.Status != 303 || res.Flash != "Proyek dibatalkan." {
			t.Errorf("cancel: %d %s %s", res.Status, res.Flash, res.HTML)
		}
		if ws := h.Widgets(villageA, "op-a"); len(ws) != 1 || !strings.Contains(string(ws[0].HTML), "proyek berjalan") {
			t.Errorf("console widget %+v", ws)
		}
		ws := h.PublicWidgets(villageA)
		if len(ws) != 1 || !strings.Contains(string(ws[0].HTML), "1 proyek tahun 2026") || len(ws[0].HTML) > 4096 {
			t.Errorf("public widget %+v", ws)
		}
	}, sdktest.WithClock(clock.Now))
}
