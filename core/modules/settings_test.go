package modules

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/sdk/input"
)

// A tenant's own settings override only the keys it set: a village that
// saved its signatory before the regency set its emblem gets the emblem,
// keeps its signatory, and may remove an inherited key; a regency (no
// settings above it) stores its settings whole.
func TestSettingsInheritKeyByKey(t *testing.T) {
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
		if get(village) != nil {
			t.Fatal("settings before any were saved")
		}
		put(regency, `{"paper":"F4","signatory":{"title":"Kepala Desa"},"types":{"sku":{"title":"SKU"}}}`)
		// The village saves what it read (the regency's) with its own signatory name.
		put(village, `{"paper":"F4","signatory":{"title":"Kepala Desa","name":"Ahmad"},"types":{"sku":{"title":"SKU"}}}`)
		if s := stored(village); s != `{"signatory":{"name":"Ahmad"}}` {
			t.Errorf("the village stores %s, want its own part only", s)
		}
		// Later the regency uploads its emblem and changes a type's title.
		put(regency, `{"paper":"F4","signatory":{"title":"Kepala Desa"},"types":{"sku":{"title":"Surat Keterangan Usaha"}},"emblem":{"sha256":"ab"}}`)
		want := map[string]any{"paper": "F4", "signatory": map[string]any{"title": "Kepala Desa", "name": "Ahmad"},
			"types": map[string]any{"sku": map[string]any{"title": "Surat Keterangan Usaha"}}, "emblem": map[string]any{"sha256": "ab"}}
		if got := get(village); !reflect.DeepEqual(got, want) {
			t.Errorf("the village reads %v, want %v", got, want)
		}
		if got := get(other); got["emblem"] == nil || got["signatory"].(map[string]any)["name"] != nil {
			t.Errorf("a village without its own reads %v", got)
		}
		// The village removes the emblem and sets paper A4: both stay its own.
		put(village, `{"paper":"A4","signatory":{"title":"Kepala Desa","name":"Ahmad"},"types":{"sku":{"title":"Surat Keterangan Usaha"}}}`)
		if got := get(village); got["emblem"] != nil || got["paper"] != "A4" || got["types"] == nil {
			t.Errorf("after removing the emblem: %v", got)
		}
		put(regency, `{"paper":"F4","emblem":{"sha256":"cd"}}`)
		if got := get(village); got["emblem"] != nil || got["paper"] != "A4" || got["signatory"].(map[string]any)["title"] != nil {
			t.Errorf("after the regency's change: %v", got)
		}
	})
}

func TestDiffPatchRoundTrips(t *testing.T) {
	from := map[string]any{"a": "1", "b": map[string]any{"c": "2", "d": "3"}, "e": []any{"x"}}
	to := map[string]any{"a": "1", "b": map[string]any{"c": "9"}, "e": []any{"x", "y"}, "f": true}
	p := diffPatch(from, to)
	want := map[string]any{"b": map[string]any{"c": "9", "d": nil}, "e": []any{"x", "y"}, "f": true}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("diffPatch = %v, want %v", p, want)
	}
	if got := input.MergePatch(map[string]any{"a": "1", "b": map[string]any{"c": "2", "d": "3"}, "e": []any{"x"}}, p); !reflect.DeepEqual(got, to) {
		t.Errorf("round trip = %v, want %v", got, to)
	}
}
