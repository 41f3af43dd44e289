package modules

import (
	"encoding/json"
	"reflect"
	"sync"
	"testing"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

// Settings inherit by top-level key, each value whole: a village that
// saved its signatory before the regency set its emblem gets the emblem,
// keeps its signatory as it saved it (no field of the regency's signatory
// mixed in), may remove an inherited key for good, and keeps a key it set
// even when the regency later sets the same value; a regency (no settings
// above it) stores its settings whole.
func TestSettingsInheritByTopLevelKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(Migrations()); err != nil {
			t.Fatal(err)
		}
		const regency, village, other = "14.01", "14.01.01.2009", "14.01.01.2010"
		get := func(tenant string) map[string]any {
			t.Helper()
			b, err := GetSettings(db.DB, "services", tenant)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if b != nil {
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatal(err)
				}
			}
			return m
		}
		put := func(tenant, values string) {
			t.Helper()
			if err := PutSettings(db.DB, "services", tenant, []byte(values)); err != nil {
				t.Fatal(err)
			}
		}
		stored := func(tenant string) string {
			var s PluginSettings
			if err := db.DB.Where("plugin = ? AND tenant = ?", "services", tenant).First(&s).Error; err != nil {
				t.Fatal(err)
			}
			return s.Values
		}
		obj := func(s string) map[string]any {
			var m map[string]any
			if err := json.Unmarshal([]byte(s), &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
		if get(village) != nil {
			t.Fatal("settings before any were saved")
		}
		put(regency, `{"paper":"F4","signatory":{"title":"Kepala Desa"},"types":{"sku":{"title":"SKU"}},"emblem":{"sha256":"r1","content_type":"image/png"}}`)
		if s := stored(regency); !reflect.DeepEqual(obj(s), obj(`{"paper":"F4","signatory":{"title":"Kepala Desa"},"types":{"sku":{"title":"SKU"}},"emblem":{"sha256":"r1","content_type":"image/png"}}`)) {
			t.Errorf("the regency stores %s, want its settings whole", s)
		}
		// The village saves what it read with its own signatory and its own
		// PNG emblem: both are stored whole, content_type included although
		// it equals the regency's.
		put(village, `{"paper":"F4","signatory":{"title":"Kepala Desa","name":"Ahmad"},"types":{"sku":{"title":"SKU"}},"emblem":{"sha256":"v1","content_type":"image/png"}}`)
		if s := stored(village); !reflect.DeepEqual(obj(s), obj(`{"signatory":{"title":"Kepala Desa","name":"Ahmad"},"emblem":{"sha256":"v1","content_type":"image/png"}}`)) {
			t.Errorf("the village stores %s, want its own keys whole", s)
		}
		// The regency uploads a JPEG, sets its signatory's NIP and renames
		// a type: the village keeps its emblem and signatory as saved and
		// follows the type it never set.
		put(regency, `{"paper":"F4","signatory":{"title":"Kepala Desa","name":"Budi","nip":"198001012005011001"},"types":{"sku":{"title":"Surat Keterangan Usaha"}},"emblem":{"sha256":"r2","content_type":"image/jpeg"}}`)
		want := obj(`{"paper":"F4","signatory":{"title":"Kepala Desa","name":"Ahmad"},"types":{"sku":{"title":"Surat Keterangan Usaha"}},"emblem":{"sha256":"v1","content_type":"image/png"}}`)
		if got := get(village); !reflect.DeepEqual(got, want) {
			t.Errorf("the village reads %v, want %v", got, want)
		}
		if got := get(other); got["emblem"].(map[string]any)["sha256"] != "r2" || got["signatory"].(map[string]any)["name"] != "Budi" {
			t.Errorf("a village without its own reads %v", got)
		}
		// The village removes the emblem and sets paper A4: both stay its own.
		put(village, `{"paper":"A4","signatory":{"title":"Kepala Desa","name":"Ahmad"},"types":{"sku":{"title":"Surat Keterangan Usaha"}}}`)
		if got := get(village); got["emblem"] != nil || got["paper"] != "A4" || got["types"] == nil {
			t.Errorf("after removing the emblem: %v", got)
		}
		put(regency, `{"paper":"A4","emblem":{"sha256":"r3"},"four_eyes":true}`)
		// The regency now also prints on A4 and dropped its signatory and
		// types: the village's own A4 stays its own when it saves again.
		put(village, `{"paper":"A4","signatory":{"title":"Kepala Desa","name":"Ahmad"},"four_eyes":true}`)
		put(regency, `{"paper":"F4","emblem":{"sha256":"r4"},"four_eyes":true}`)
		if got := get(village); got["emblem"] != nil || got["paper"] != "A4" || got["four_eyes"] != true || got["types"] != nil ||
			!reflect.DeepEqual(got["signatory"], map[string]any{"title": "Kepala Desa", "name": "Ahmad"}) {
			t.Errorf("after the regency's changes: %v", got)
		}
		// A row saved before inheritance (a whole settings object) still
		// loads: its keys are its own, the rest inherited.
		if err := db.DB.Create(&PluginSettings{Plugin: "services", Tenant: other, Values: `{"paper":"A4","signatory":{"name":"Citra"}}`}).Error; err != nil {
			t.Fatal(err)
		}
		if got := get(other); got["paper"] != "A4" || !reflect.DeepEqual(got["signatory"], map[string]any{"name": "Citra"}) || got["four_eyes"] != true {
			t.Errorf("an older row reads %v", got)
		}
	})
}

// Concurrent saves of a regency and its villages serialise: a village's
// diff is never made against inherited settings a regency's save is
// changing, and none of the saves fails.
func TestPutSettingsConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(Migrations()); err != nil {
			t.Fatal(err)
		}
		const regency = "14.01"
		villages := []string{"14.01.01.2001", "14.01.01.2002", "14.01.01.2003", "14.01.01.2004"}
		var wg sync.WaitGroup
		errs := make(chan error, 2*len(villages)+1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- PutSettings(db.DB, "services", regency, []byte(`{"four_eyes":true}`))
		}()
		for _, v := range villages {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- PutSettings(db.DB, "services", v, []byte(`{"paper":"A4","four_eyes":true}`))
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, v := range villages {
			b, err := GetSettings(db.DB, "services", v)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil || m["four_eyes"] != true || m["paper"] != "A4" {
				t.Errorf("%s reads %s (%v)", v, b, err)
			}
		}
	})
}

func TestOwnPart(t *testing.T) {
	for _, c := range []struct{ name, from, prev, to, want string }{
		{"first save keeps what differs, whole", `{"a":"1","s":{"t":"K","n":"R"}}`, `null`, `{"a":"1","s":{"t":"K","n":"V"}}`, `{"s":{"t":"K","n":"V"}}`},
		{"an object equal in one field is still stored whole", `{"e":{"sha":"r","type":"image/png"}}`, `null`, `{"e":{"sha":"v","type":"image/png"}}`, `{"e":{"sha":"v","type":"image/png"}}`},
		{"an inherited key left out is removed", `{"a":"1","e":{"sha":"r"}}`, `null`, `{"a":"1"}`, `{"e":null}`},
		{"a key set before stays own when equal", `{"paper":"A4"}`, `{"paper":"A4"}`, `{"paper":"A4"}`, `{"paper":"A4"}`},
		{"a key removed before stays removed", `{"a":"1"}`, `{"e":null}`, `{"a":"1"}`, `{"e":null}`},
		{"a removed key set again", `{"e":{"sha":"r"}}`, `{"e":null}`, `{"e":{"sha":"v"}}`, `{"e":{"sha":"v"}}`},
		{"a removed key given the inherited value follows it again", `{"e":{"sha":"r"}}`, `{"e":null}`, `{"e":{"sha":"r"}}`, `{}`},
		{"a new key", `{}`, `null`, `{"l":["x"]}`, `{"l":["x"]}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var from, prev, to, want map[string]any
			for _, p := range []struct {
				s string
				m *map[string]any
			}{{c.from, &from}, {c.prev, &prev}, {c.to, &to}, {c.want, &want}} {
				if err := json.Unmarshal([]byte(p.s), p.m); err != nil {
					t.Fatal(err)
				}
			}
			got := ownPart(from, prev, to)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ownPart = %v, want %v", got, want)
			}
			if back := layer(from, got); !reflect.DeepEqual(back, to) {
				t.Errorf("layer(from, own) = %v, want %v", back, to)
			}
		})
	}
}

func TestLayer(t *testing.T) {
	for _, c := range []struct{ inherited, own, want string }{
		{`{"s":{"name":"R","nip":"1"},"a":"1"}`, `{"s":{"name":"V"}}`, `{"s":{"name":"V"},"a":"1"}`},
		{`{"a":"1","b":"2"}`, `{"a":null}`, `{"b":"2"}`},
		{`null`, `{"a":null,"b":{"c":null}}`, `{"b":{"c":null}}`},
		{`{"a":"1"}`, `["x"]`, `["x"]`},
		{`["x"]`, `{"a":"1"}`, `{"a":"1"}`},
	} {
		var inherited, own, want any
		json.Unmarshal([]byte(c.inherited), &inherited)
		json.Unmarshal([]byte(c.own), &own)
		json.Unmarshal([]byte(c.want), &want)
		if got := layer(inherited, own); !reflect.DeepEqual(got, want) {
			t.Errorf("layer(%s, %s) = %v, want %s", c.inherited, c.own, got, c.want)
		}
	}
}
