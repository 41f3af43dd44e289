package regions

import (
	"encoding/csv"
	"testing"
)

func TestEmbeddedLists(t *testing.T) {
	rc, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	rows, err := csv.NewReader(rc).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The header plus every official code.
	if len(rows) != 91600 || rows[0][0] != "kode" {
		t.Errorf("embedded list has %d rows starting %v", len(rows), rows[0])
	}
	for _, c := range []struct {
		code  string
		total int
	}{{"14.01", 898973}, {"14", 0}} {
		p, err := PopulationOf(c.code)
		if err != nil {
			t.Fatalf("%s: %v", c.code, err)
		}
		if c.total > 0 && p.Total != c.total || p.Men+p.Women != p.Total {
			t.Errorf("%s: %+v", c.code, p)
		}
	}
	if _, err := PopulationOf("14.01.01"); err == nil {
		t.Error("a sub-district has no census figure, yet one was found")
	}
}
