package rbac

import (
	"reflect"
	"strings"
	"testing"

	"github.com/casbin/casbin/v2/model"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

// legacyRuleTable is casbin_rule exactly as github.com/casbin/gorm-adapter
// v3.39 created it (read back from sqlite_master and PostgreSQL's catalog),
// for the databases of earlier releases.
var legacyRuleTable = map[store.Dialect][]string{
	store.SQLite: {
		"CREATE TABLE `casbin_rule` (`id` integer PRIMARY KEY AUTOINCREMENT,`ptype` text,`v0` text,`v1` text,`v2` text,`v3` text,`v4` text,`v5` text)",
		"CREATE UNIQUE INDEX idx_casbin_rule ON casbin_rule (ptype,v0,v1,v2,v3,v4,v5)",
	},
	store.Postgres: {
		`CREATE TABLE casbin_rule (id bigserial PRIMARY KEY, ptype varchar(100), v0 varchar(100), v1 varchar(100), v2 varchar(100), v3 varchar(100), v4 varchar(100), v5 varchar(100))`,
		"CREATE UNIQUE INDEX idx_casbin_rule ON casbin_rule (ptype,v0,v1,v2,v3,v4,v5)",
	},
}

// policyModel is an empty model of the host's policy.
func policyModel() model.Model {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		panic(err)
	}
	return m
}

// storedRules lists casbin_rule as "ptype,v0,...,v5" lines in id order.
func storedRules(t *testing.T, db *store.DB) []string {
	t.Helper()
	var rules []Rule
	if err := db.Order("id").Find(&rules).Error; err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, r := range rules {
		v := r.values6()
		out = append(out, r.Ptype+","+strings.Join(v[:], ","))
	}
	return out
}

// A database of an earlier release keeps its table: the migration's table
// creation leaves it alone, and its rows load into the policy.
func TestAdapterReadsLegacyTable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, ddl := range legacyRuleTable[db.Dialect] {
			if err := db.Exec(ddl).Error; err != nil {
				t.Fatal(err)
			}
		}
		// Rows as the gorm adapter wrote them: unused columns empty.
		if err := db.Exec(`INSERT INTO casbin_rule (ptype, v0, v1, v2, v3, v4, v5) VALUES
			('p', 'role:clerk', 'population.residents.read', '', '', '', ''),
			('g', 'user:siti', 'role:clerk', '14.01.01.2009', '', '', '')`).Error; err != nil {
			t.Fatal(err)
		}
		if err := createRuleTable(db.DB); err != nil {
			t.Fatalf("creating the table over a legacy one: %v", err)
		}
		m := policyModel()
		if err := (adapter{db: db.DB}).LoadPolicy(m); err != nil {
			t.Fatal(err)
		}
		if ok, _ := m.HasPolicy("p", "p", []string{"role:clerk", "population.residents.read"}); !ok {
			t.Errorf("p rule not loaded: %v", m["p"]["p"].Policy)
		}
		if ok, _ := m.HasPolicy("g", "g", []string{"user:siti", "role:clerk", "14.01.01.2009"}); !ok {
			t.Errorf("g rule not loaded: %v", m["g"]["g"].Policy)
		}
	})
}

// The table the migration creates is the legacy one: same columns, and a
// duplicate rule is refused by the unique index.
func TestRuleTableSchema(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(Migrations()); err != nil {
			t.Fatal(err)
		}
		cols, err := db.Migrator().ColumnTypes(&Rule{})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range cols {
			names = append(names, c.Name())
		}
		if want := []string{"id", "ptype", "v0", "v1", "v2", "v3", "v4", "v5"}; !reflect.DeepEqual(names, want) {
			t.Errorf("columns %v, want %v", names, want)
		}
		if !db.Migrator().HasIndex(&Rule{}, ruleIndex) {
			t.Errorf("no index %s", ruleIndex)
		}
		a := adapter{db: db.DB}
		if err := a.AddPolicy("g", "g", []string{"user:a", "role:viewer", "14"}); err != nil {
			t.Fatal(err)
		}
		if err := a.AddPolicy("g", "g", []string{"user:a", "role:viewer", "14"}); err == nil {
			t.Error("a duplicate rule was stored")
		}
		if err := createRuleTable(db.DB); err != nil {
			t.Errorf("creating the table again: %v", err)
		}
	})
}

func TestAdapterWrites(t *testing.T) {
	seed := [][]string{
		{"p", "role:clerk", "population.residents.read"},
		{"p", "role:clerk", "population.residents.write"},
		{"g", "user:siti", "role:clerk", "14.01"},
		{"g", "user:siti", "role:viewer", "14.02"},
		{"g", "user:budi", "role:clerk", "14.01"},
	}
	seeded := []string{
		"p,role:clerk,population.residents.read,,,,",
		"p,role:clerk,population.residents.write,,,,",
		"g,user:siti,role:clerk,14.01,,,",
		"g,user:siti,role:viewer,14.02,,,",
		"g,user:budi,role:clerk,14.01,,,",
	}
	tests := []struct {
		name    string
		do      func(a adapter) error
		want    []string // rows after, in id order
		wantErr string
		// foreign: rows that the host's model refuses to load (the table
		// is Casbin's and holds any model's rules).
		foreign bool
	}{
		{name: "add", do: func(a adapter) error {
			return a.AddPolicy("p", "p", []string{"role:viewer", "population.residents.read"})
		}, want: append(append([]string{}, seeded...), "p,role:viewer,population.residents.read,,,,")},
		{name: "add with every column", do: func(a adapter) error {
			return a.AddPolicy("p", "p", []string{"a", "b", "c", "d", "e", "f"})
		}, want: append(append([]string{}, seeded...), "p,a,b,c,d,e,f"), foreign: true},
		{name: "add too long", do: func(a adapter) error {
			return a.AddPolicy("p", "p", []string{"a", "b", "c", "d", "e", "f", "g"})
		}, wantErr: "at most 6"},
		{name: "remove exact", do: func(a adapter) error {
			return a.RemovePolicy("g", "g", []string{"user:siti", "role:clerk", "14.01"})
		}, want: []string{seeded[0], seeded[1], seeded[3], seeded[4]}},
		{name: "remove needs every value", do: func(a adapter) error {
			return a.RemovePolicy("g", "g", []string{"user:siti", "role:clerk"})
		}, want: seeded},
		{name: "remove filtered by user", do: func(a adapter) error {
			return a.RemoveFilteredPolicy("g", "g", 0, "user:siti")
		}, want: []string{seeded[0], seeded[1], seeded[4]}},
		{name: "remove filtered by tenant, empty matches any", do: func(a adapter) error {
			return a.RemoveFilteredPolicy("g", "g", 1, "", "14.01")
		}, want: []string{seeded[0], seeded[1], seeded[3]}},
		{name: "remove filtered keeps other ptype", do: func(a adapter) error {
			return a.RemoveFilteredPolicy("p", "p", 0, "role:clerk")
		}, want: seeded[2:]},
		{name: "remove filtered out of range", do: func(a adapter) error {
			return a.RemoveFilteredPolicy("g", "g", 5, "x", "y")
		}, wantErr: "beyond"},
		{name: "save replaces", do: func(a adapter) error {
			m := policyModel()
			m.AddPolicy("p", "p", []string{"role:x", "perm.y"})
			m.AddPolicy("g", "g", []string{"user:z", "role:x", "14"})
			return a.SavePolicy(m)
		}, want: []string{"p,role:x,perm.y,,,,", "g,user:z,role:x,14,,,"}},
		{name: "save empty clears", do: func(a adapter) error {
			return a.SavePolicy(policyModel())
		}, want: []string{}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(Migrations()); err != nil {
			t.Fatal(err)
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if err := db.Exec("DELETE FROM casbin_rule").Error; err != nil {
					t.Fatal(err)
				}
				a := adapter{db: db.DB}
				for _, s := range seed {
					if err := a.AddPolicy(s[0], s[0], s[1:]); err != nil {
						t.Fatal(err)
					}
				}
				err := tc.do(a)
				if tc.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
						t.Fatalf("error %v, want one saying %q", err, tc.wantErr)
					}
					tc.want = seeded
				} else if err != nil {
					t.Fatal(err)
				}
				if got := storedRules(t, db); !reflect.DeepEqual(got, tc.want) {
					t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
				}
				if tc.foreign {
					return
				}
				// What was written loads back as the same policy.
				m := policyModel()
				if err := a.LoadPolicy(m); err != nil {
					t.Fatal(err)
				}
				n := len(m["p"]["p"].Policy) + len(m["g"]["g"].Policy)
				if n != len(tc.want) {
					t.Errorf("loaded %d rules, stored %d", n, len(tc.want))
				}
			})
		}
	})
}
