package e2e

// The development module (Sicaram) through the real balai binary and the
// development plugin, on SQLite and PostgreSQL: a village registers a
// project, reports its progress with photos until it is completed; the
// public reads it; bad input gets the documented errors; a neighbour
// village's operator and a district's write are refused; the roll-up at
// a district and at the regency counts only the villages below with the
// module on, and lists the projects behind schedule.

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/balaidesa/balai/core/storetest"
)

func dev(tenant, path string) string { return p(tenant, "development", path) }

// devToday is the villages' date in Kampar (WIB).
func devToday(days int) string {
	loc, _ := time.LoadLocation("Asia/Jakarta")
	return time.Now().In(loc).AddDate(0, 0, days).Format(time.DateOnly)
}

func devYear() int {
	loc, _ := time.LoadLocation("Asia/Jakarta")
	return time.Now().In(loc).Year()
}

// devProject is a valid project body running from start to end (days
// from today), funded by Dana Desa with amount.
func devProject(name string, start, end int, amount int64) map[string]any {
	return map[string]any{
		"name": name, "kind": "road", "year": devYear(),
		"funding":  []map[string]any{{"source": "dana_desa", "amount": amount}},
		"location": map[string]any{"dusun": "Dusun I", "rt": "001", "rw": "002", "lat": 0.3321, "lng": 101.0205},
		"executor": "TPK Desa Kumantan", "executor_lead": "Rahmad Hidayat",
		"planned_start": devToday(start), "planned_end": devToday(end), "volume": 500, "unit": "m", "beneficiaries": 320,
	}
}

// devPNG is a small real PNG image.
func devPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = 230
	}
	for x := range 64 {
		img.Set(x, x%48, color.RGBA{20, 120, 40, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// devMultipart posts a progress report with photos as c.
func devMultipart(t *testing.T, h *Host, c *Client, path string, fields map[string]string, photos ...[]byte) *Resp {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for _, ph := range photos {
		fw, _ := mw.CreateFormFile("photo", "foto.png")
		fw.Write(ph)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", h.URL+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return &Resp{Status: res.StatusCode, Header: res.Header, Body: data, t: t}
}

func TestDevelopment(t *testing.T) {
	EachBackend(t, func(t *testing.T, b storetest.Backend) {
		w := startPlugins(t, b, []string{"development"})
		w.enable(t, "14.01", "development", true)
		w.enable(t, villageP, "development", true)
		h := w.h
		anon := h.Anon()

		var id string
		t.Run("journey", func(t *testing.T) {
			r := w.op.Do(t, "POST", dev(villageA, "/projects"), devProject("Jalan Usaha Tani Dusun I", -30, 60, 150_000_000)).Expect(201)
			id = r.Str("id")
			m := r.JSON()
			if m["state"] != "planned" || m["budget"].(float64) != 150_000_000 || m["executor_lead"] != "Rahmad Hidayat" || m["behind_schedule"] != true {
				t.Fatalf("created %s", r.Body)
			}
			// The public and a viewer read it without the chair's name.
			for _, c := range []*Client{anon, w.viewer} {
				r := c.Do(t, "GET", dev(villageA, "/projects/"+id), nil).Expect(200)
				if strings.Contains(string(r.Body), "Rahmad") || r.Str("name") != "Jalan Usaha Tani Dusun I" {
					t.Errorf("read without the personal permission: %s", r.Body)
				}
			}
			if n := anon.Do(t, "GET", dev(villageA, "/projects"), nil).Expect(200).Total(); n != 1 {
				t.Errorf("public list: %d", n)
			}
			// A correction by the clerk, before the work starts.
			if r := w.op.Do(t, "PATCH", dev(villageA, "/projects/"+id), map[string]any{"location": map[string]any{"rt": "003"}}).Expect(200); r.JSON()["location"].(map[string]any)["dusun"] != "Dusun I" {
				t.Errorf("a correction lost the dusun: %s", r.Body)
			}
			w.opB.Do(t, "PATCH", dev(villageA, "/projects/"+id), map[string]any{"name": "X"}).ExpectErr(403, "forbidden")
			// 0% with its photo: the work starts.
			r = devMultipart(t, h, w.op, dev(villageA, "/projects/"+id+"/progress"), map[string]string{"date": devToday(-29), "percent": "0", "spent": "0", "notes": "Titik nol"}, devPNG(t))
			if r.Expect(201); !strings.Contains(string(r.Body), `"state":"ongoing"`) {
				t.Errorf("first report: %s", r.Body)
			}
			w.op.Do(t, "POST", dev(villageA, "/projects/"+id+"/progress"), map[string]any{"date": devToday(-1), "percent": 50, "spent": 80_000_000}).Expect(201)
			// 100% completes it, with its final photo.
			r = devMultipart(t, h, w.op, dev(villageA, "/projects/"+id+"/progress"), map[string]string{"date": devToday(0), "percent": "100", "spent": "148500000"}, devPNG(t))
			r.Expect(201)
			var ans struct {
				Project struct {
					State  string
					Photos []struct {
						URL      string `json:"url"`
						ThumbURL string `json:"thumb_url"`
					}
				}
			}
			json.Unmarshal(r.Body, &ans)
			if ans.Project.State != "completed" || len(ans.Project.Photos) != 2 {
				t.Fatalf("completion: %s", r.Body)
			}
			th := anon.Do(t, "GET", ans.Project.Photos[1].ThumbURL, nil).Expect(200)
			if th.Header.Get("Content-Type") != "image/jpeg" {
				t.Errorf("thumbnail type %s", th.Header.Get("Content-Type"))
			}
			if ph := anon.Do(t, "GET", ans.Project.Photos[0].URL, nil).Expect(200); ph.Header.Get("Content-Type") != "image/png" {
				t.Errorf("photo type %s", ph.Header.Get("Content-Type"))
			}
			full := anon.Do(t, "GET", dev(villageA, "/projects/"+id), nil).Expect(200).JSON()
			if reps := full["reports"].([]any); len(reps) != 3 || reps[0].(map[string]any)["reported_by"] != nil {
				t.Errorf("reports as the public sees them: %v", full["reports"])
			}
			w.op.Do(t, "POST", dev(villageA, "/projects/"+id+"/progress"), map[string]any{"date": devToday(0), "percent": 100, "spent": 148_500_000}).ExpectErr(409, "project_closed")
			// Events carry no personal data.
			evs := strings.Join(eventPayloads(t, h, "development"), "\n")
			for _, name := range []string{"development.project_created", "development.progress_reported", "development.project_completed"} {
				if dbCount(t, h, "events", "plugin = ? AND name = ?", "development", name) == 0 {
					t.Errorf("no event %s", name)
				}
			}
			if strings.Contains(evs, "Rahmad") {
				t.Errorf("an event carries the chair's name: %s", evs)
			}
		})

		t.Run("bad input", func(t *testing.T) {
			edit := func(f func(m map[string]any)) map[string]any {
				m := devProject("Drainase", 0, 30, 10_000_000)
				f(m)
				return m
			}
			for _, tt := range []struct {
				name   string
				body   any
				status int
				code   string
			}{
				{"no name", edit(func(m map[string]any) { delete(m, "name") }), 422, "invalid_name"},
				{"kind", edit(func(m map[string]any) { m["kind"] = "mall" }), 422, "invalid_kind"},
				{"funding", edit(func(m map[string]any) { m["funding"] = []any{map[string]any{"source": "apbn", "amount": 5}} }), 422, "invalid_funding"},
				{"coordinates", edit(func(m map[string]any) { m["location"] = map[string]any{"lat": 52.1, "lng": 4.3} }), 422, "invalid_coordinates"},
				{"end before start", edit(func(m map[string]any) { m["planned_end"] = devToday(-5) }), 422, "planned_end_before_start"},
				{"year", edit(func(m map[string]any) { m["year"] = 1990 }), 422, "invalid_year"},
				{"unknown field", edit(func(m map[string]any) { m["state"] = "completed" }), 400, "unknown_field"},
				{"not json", "{", 400, "malformed_json"},
			} {
				w.op.Do(t, "POST", dev(villageA, "/projects"), tt.body).ExpectErr(tt.status, tt.code)
			}
			pid := w.op.Do(t, "POST", dev(villageA, "/projects"), devProject("Drainase", 0, 30, 10_000_000)).Expect(201).Str("id")
			for _, tt := range []struct {
				name   string
				body   map[string]any
				status int
				code   string
			}{
				{"future", map[string]any{"date": devToday(2), "percent": 5, "spent": 0}, 422, "date_in_future"},
				{"percent", map[string]any{"date": devToday(0), "percent": 120, "spent": 0}, 422, "invalid_percent"},
				{"over budget", map[string]any{"date": devToday(0), "percent": 5, "spent": 12_000_000}, 422, "spent_exceeds_budget"},
				{"final photo", map[string]any{"date": devToday(0), "percent": 100, "spent": 9_000_000}, 422, "final_photo_required"},
			} {
				w.op.Do(t, "POST", dev(villageA, "/projects/"+pid+"/progress"), tt.body).ExpectErr(tt.status, tt.code)
			}
			devMultipart(t, h, w.op, dev(villageA, "/projects/"+pid+"/progress"), map[string]string{"date": devToday(0), "percent": "10", "spent": "0"}, []byte("not an image at all")).ExpectErr(415, "not_an_image")
			w.op.Do(t, "POST", dev(villageA, "/projects/"+pid+"/progress"), map[string]any{"date": devToday(0), "percent": 20, "spent": 11_000_000, "over_budget_reason": "Harga semen naik"}).Expect(201)
			w.op.Do(t, "POST", dev(villageA, "/projects/"+pid+"/progress"), map[string]any{"date": devToday(0), "percent": 10, "spent": 11_000_000}).ExpectErr(422, "progress_decreased")
			anon.Do(t, "GET", dev(villageA, "/projects?limit=501"), nil).ExpectErr(400, "invalid_pagination")
			anon.Do(t, "GET", dev(villageA, "/projects?state=finished"), nil).ExpectErr(400, "invalid_filter")
			anon.Do(t, "GET", dev(villageA, "/projects/00000000-0000-0000-0000-000000000000"), nil).ExpectErr(404, "project_not_found")
			anon.Do(t, "GET", dev("14.01", "/summary?year=abc"), nil).ExpectErr(400, "invalid_year")
			// Cancelling is the village head's: an operator is refused.
			w.op.Do(t, "POST", dev(villageA, "/projects/"+pid+"/cancel"), map[string]string{"reason": "Dialihkan"}).ExpectErr(403, "forbidden")
			w.district.Do(t, "POST", dev(villageA, "/projects/"+pid+"/cancel"), map[string]string{}).ExpectErr(422, "invalid_reason")
			w.district.Do(t, "POST", dev(villageA, "/projects/"+pid+"/cancel"), map[string]string{"reason": "Dialihkan ke BLT"}).Expect(200)
			w.district.Do(t, "POST", dev(villageA, "/projects/"+pid+"/cancel"), map[string]string{"reason": "Lagi"}).ExpectErr(409, "project_closed")
		})

		t.Run("neighbour and levels", func(t *testing.T) {
			w.opB.Do(t, "POST", dev(villageA, "/projects"), devProject("Jalan", 0, 30, 1_000_000)).ExpectErr(403, "forbidden")
			w.opB.Do(t, "POST", dev(villageA, "/projects/"+id+"/progress"), map[string]any{"date": devToday(0), "percent": 5, "spent": 0}).ExpectErr(403, "forbidden")
			w.pelalawanUser.Do(t, "POST", dev(villageA, "/projects"), devProject("Jalan", 0, 30, 1_000_000)).ExpectErr(403, "forbidden")
			w.viewer.Do(t, "POST", dev(villageA, "/projects"), devProject("Jalan", 0, 30, 1_000_000)).ExpectErr(403, "forbidden")
			anon.Do(t, "POST", dev(villageA, "/projects"), devProject("Jalan", 0, 30, 1_000_000)).ExpectErr(401, "unauthenticated")
			// A district's admin reads its villages but writes in none of
			// them from the district.
			w.district.Do(t, "POST", dev("14.01.01", "/projects"), devProject("Jalan", 0, 30, 1_000_000)).ExpectErr(422, "not_a_village")
			if r := anon.Do(t, "GET", dev("14.01.01", "/projects/"+id), nil).Expect(200); r.JSON()["village"].(map[string]any)["code"] != villageA {
				t.Errorf("a village's project read at its district: %s", r.Body)
			}
			anon.Do(t, "GET", dev("14.01.02", "/projects/"+id), nil).ExpectErr(404, "project_not_found")
		})

		t.Run("roll-up", func(t *testing.T) {
			// Village A: the completed project (150 M budget) and a
			// cancelled one (not in the sums). A2: one on time. B: one far
			// behind. Pelalawan: one that Kampar must never count.
			w.district.Do(t, "POST", dev(villageA2, "/projects"), devProject("Sumur Bor", 0, 90, 40_000_000)).Expect(201)
			late := w.opB.Do(t, "POST", dev(villageB, "/projects"), devProject("Irigasi Tersier", -100, 10, 60_000_000)).Expect(201).Str("id")
			w.pelalawanUser.Do(t, "POST", dev(villageP, "/projects"), devProject("Jembatan", -100, 10, 999_000_000)).Expect(201)

			sum := func(tenant string) map[string]any {
				return anon.Do(t, "GET", dev(tenant, "/summary"), nil).Expect(200).JSON()
			}
			num := func(m map[string]any, k string) float64 { f, _ := m[k].(float64); return f }
			d := sum("14.01.01")
			if num(d, "budget") != 190_000_000 || num(d, "spent") != 148_500_000 || num(d, "behind_total") != 0 {
				t.Errorf("district summary: budget %v spent %v behind %v", d["budget"], d["spent"], d["behind_total"])
			}
			k := sum("14.01")
			if num(k, "budget") != 250_000_000 || num(k, "behind_total") != 1 || num(k, "projects") != 4 {
				t.Errorf("regency summary: budget %v behind %v projects %v", k["budget"], k["behind_total"], k["projects"])
			}
			if b := k["behind_schedule"].([]any); len(b) != 1 || b[0].(map[string]any)["id"] != late {
				t.Errorf("behind list %v", k["behind_schedule"])
			}
			if vs := k["villages"].([]any); len(vs) < 250 {
				t.Errorf("regency summary has %d villages, want every village of Kampar", len(vs))
			}
			if f := k["funding"].([]any)[0].(map[string]any); f["source"] != "dana_desa" || f["amount"].(float64) != 250_000_000 {
				t.Errorf("funding %v", f)
			}
			// A village that switches the module off leaves the roll-up.
			w.enable(t, villageA2, "development", false)
			if d := sum("14.01.01"); num(d, "budget") != 150_000_000 {
				t.Errorf("after A2 switched off: %v", d["budget"])
			}
			w.enable(t, villageA2, "development", true)
			if n := anon.Do(t, "GET", dev("14.01", "/projects?behind=true"), nil).Expect(200).Total(); n != 1 {
				t.Errorf("behind list: %d", n)
			}
		})
	})
}
