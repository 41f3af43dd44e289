package tenancy_test

import (
	"strings"
	"testing"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/host"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
	"github.com/balaidesa/balai/core/tenancy"
)

const regions = `kode,nama
14,Riau
14.01,Kabupaten Kampar
14.01.01,Bangkinang Kota
14.01.01.2009,Kumantan
14.01.01.2010,"Ridan Permai"
14.05,Kabupaten Pelalawan
14.05.01,Langgam
`

func migrated(t *testing.T, db *store.DB) {
	t.Helper()
	if err := db.Migrate(host.Migrations()); err != nil {
		t.Fatal(err)
	}
}

func errCode(err error) string {
	if e, ok := apierr.As(err); ok {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		migrated(t, db)
		var progress []int
		res, err := tenancy.Import(db.DB, strings.NewReader(regions), []string{"14.01"}, func(done, total int) { progress = append(progress, done) })
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 5 || res.Selected != 5 || len(progress) == 0 || progress[len(progress)-1] != 5 {
			t.Errorf("import under 14.01: %+v, progress %v", res, progress)
		}
		if _, err := tenancy.Get(db.DB, "14.05"); errCode(err) != "tenant_not_found" {
			t.Errorf("14.05 was imported outside --under: %v", err)
		}
		res, _ = tenancy.Import(db.DB, strings.NewReader(regions), []string{"14.01"}, nil)
		if res.Created != 0 || res.Unchanged != 5 {
			t.Errorf("second import: %+v", res)
		}
		renamed := strings.Replace(regions, "Kumantan", "Kumantan Baru", 1)
		if res, _ = tenancy.Import(db.DB, strings.NewReader(renamed), nil, nil); res.Renamed != 1 || res.Created != 2 {
			t.Errorf("whole-file import with a renamed village: %+v", res)
		}
		bad := []struct{ name, csv, root, code string }{
			{"bad code", "kode,nama\n15,Jambi\n15.1,Broken\n", "", "invalid_file"},
			{"missing name", "kode,nama\n15,\n", "", "invalid_file"},
			{"orphan", "kode,nama\n15.01.01,Orphan\n", "", "parent_not_found"},
			{"unknown root", regions, "14.99", "unknown_region"},
			{"bad root", regions, "14.x", "invalid_code"},
			{"conflicting rows", "kode,nama\n15,Jambi\n15,Jambi Lagi\n", "", "invalid_file"},
		}
		for _, b := range bad {
			var roots []string
			if b.root != "" {
				roots = []string{b.root}
			}
			if _, err := tenancy.Import(db.DB, strings.NewReader(b.csv), roots, nil); errCode(err) != b.code {
				t.Errorf("%s: %v, want %s", b.name, err, b.code)
			}
		}
		if ok, _ := tenancy.Exists(db.DB, "15"); ok {
			t.Error("a failed import left province 15 behind")
		}
	})
}

func TestTenantCRUD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		migrated(t, db)
		tenancy.Import(db.DB, strings.NewReader(regions), nil, nil)
		if _, err := tenancy.Create(db.DB, "14.01.01.2999", "Desa Baru"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ code, name, want string }{
			{"14.01.01.2999", "Again", "tenant_exists"},
			{"14.02.01", "No parent", "parent_not_found"},
			{"14.01.01.1", "Bad", "invalid_code"},
			{"14.01.01.2998", "  ", "invalid_name"},
		} {
			if _, err := tenancy.Create(db.DB, c.code, c.name); errCode(err) != c.want {
				t.Errorf("Create(%s): %v, want %s", c.code, err, c.want)
			}
		}
		items, total, err := tenancy.List(db.DB, tenancy.Filter{Parent: "14.01.01", Limit: 2, Offset: 2})
		if err != nil || total != 3 || len(items) != 1 || items[0].Code != "14.01.01.2999" {
			t.Errorf("children page: %v %d %v", items, total, err)
		}
		if _, total, _ := tenancy.List(db.DB, tenancy.Filter{Scopes: []string{"14.05"}}); total != 2 {
			t.Errorf("scoped list total %d, want Pelalawan's 2", total)
		}
		if _, total, _ := tenancy.List(db.DB, tenancy.Filter{Query: "ridan"}); total != 1 {
			t.Errorf("name search total %d", total)
		}
		if err := tenancy.CheckLeaf(db.DB, "14.01.01"); errCode(err) != "tenant_has_children" {
			t.Errorf("a parent as a leaf: %v", err)
		}
		if err := tenancy.CheckLeaf(db.DB, "14.01.01.2998"); errCode(err) != "tenant_not_found" {
			t.Errorf("a missing tenant as a leaf: %v", err)
		}
		if _, err := tenancy.Rename(db.DB, "14.01.01.2999", "Desa Baru Jaya"); err != nil {
			t.Fatal(err)
		}
		if err := tenancy.CheckLeaf(db.DB, "14.01.01.2999"); err != nil {
			t.Fatal(err)
		}
	})
}
