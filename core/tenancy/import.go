package tenancy

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
)

// ImportResult counts what an import did.
type ImportResult struct {
	Read      int `json:"read"`      // rows in the file
	Selected  int `json:"selected"`  // rows under the requested roots, with ancestors
	Created   int `json:"created"`   // new tenants
	Renamed   int `json:"renamed"`   // tenants whose name changed
	Unchanged int `json:"unchanged"` // tenants already as in the file
}

// Progress reports how many of the selected rows an import has written.
type Progress func(done, total int)

// Import creates or renames the tenants of a kode,nama CSV (the Kemendagri
// wilayah list) in one transaction. With roots, only those subtrees and their
// ancestors are taken; a root that the file does not hold is an error.
// Running it twice changes nothing the second time.
func Import(db *gorm.DB, r io.Reader, roots []string, progress Progress) (*ImportResult, error) {
	for _, root := range roots {
		if _, _, err := ParseCode(root); err != nil {
			return nil, err
		}
	}
	rows, read, err := readRegions(r, roots)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Read: read, Selected: len(rows)}
	for _, root := range roots {
		if _, ok := rows[root]; !ok {
			return nil, apierr.Invalid("unknown_region", "the file has no region %s", root)
		}
	}
	codes := make([]string, 0, len(rows))
	for c := range rows {
		codes = append(codes, c)
	}
	// Parents sort before their children, so every insert finds its parent.
	sort.Slice(codes, func(i, j int) bool {
		if li, lj := strings.Count(codes[i], "."), strings.Count(codes[j], "."); li != lj {
			return li < lj
		}
		return codes[i] < codes[j]
	})

	err = db.Transaction(func(tx *gorm.DB) error {
		existing := map[string]string{}
		var have []Tenant
		q := tx.Model(&Tenant{}).Select("code", "name")
		if len(roots) > 0 {
			var scopes []string
			for _, root := range roots {
				scopes = append(scopes, root)
				scopes = append(scopes, Ancestors(root)...)
			}
			clause, args := SubtreeClause("code", scopes)
			q = q.Where(clause, args...)
		}
		if err := q.Find(&have).Error; err != nil {
			return fmt.Errorf("reading existing tenants: %w", err)
		}
		for _, t := range have {
			existing[t.Code] = t.Name
		}
		const batch = 1000
		var pending []Tenant
		flush := func() error {
			if len(pending) == 0 {
				return nil
			}
			if err := tx.CreateInBatches(pending, batch).Error; err != nil {
				return fmt.Errorf("inserting tenants: %w", err)
			}
			pending = pending[:0]
			return nil
		}
		for i, code := range codes {
			name := rows[code]
			old, ok := existing[code]
			switch {
			case !ok:
				level, parent, _ := ParseCode(code)
				t := Tenant{Code: code, Name: name, Level: level}
				if parent != "" {
					if _, inFile := rows[parent]; !inFile {
						if _, inDB := existing[parent]; !inDB {
							return apierr.Invalid("parent_not_found", "region %s has no parent %s in the file or the database", code, parent)
						}
					}
					t.Parent = &parent
				}
				pending = append(pending, t)
				res.Created++
			case old != name:
				if err := tx.Model(&Tenant{}).Where("code = ?", code).Update("name", name).Error; err != nil {
					return fmt.Errorf("renaming tenant %s: %w", code, err)
				}
				res.Renamed++
			default:
				res.Unchanged++
			}
			if (i+1)%batch == 0 || i+1 == len(codes) {
				if err := flush(); err != nil {
					return err
				}
				if progress != nil {
					progress(i+1, len(codes))
				}
			}
		}
		return flush()
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// readRegions parses the CSV and keeps the rows under roots plus the roots'
// ancestors (all rows when roots is empty).
func readRegions(r io.Reader, roots []string) (map[string]string, int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	want := map[string]bool{}
	for _, root := range roots {
		for _, a := range Ancestors(root) {
			want[a] = true
		}
	}
	rows := map[string]string{}
	read := 0
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, apierr.Invalid("invalid_file", "reading the region file: %v", err)
		}
		if line == 1 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "kode") {
			continue
		}
		if len(rec) < 2 {
			return nil, 0, apierr.Invalid("invalid_file", "line %d: want kode,nama, got %d field(s)", line, len(rec))
		}
		read++
		code, name := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		if _, _, err := ParseCode(code); err != nil {
			return nil, 0, apierr.Invalid("invalid_file", "line %d: %v", line, err)
		}
		if name, err = checkName(name); err != nil {
			return nil, 0, apierr.Invalid("invalid_file", "line %d: %v", line, err)
		}
		keep := len(roots) == 0 || want[code]
		for _, root := range roots {
			if keep {
				break
			}
			keep = Within(code, root)
		}
		if keep {
			if prev, dup := rows[code]; dup && prev != name {
				return nil, 0, apierr.Invalid("invalid_file", "line %d: region %s appears twice with different names", line, code)
			}
			rows[code] = name
		}
	}
	return rows, read, nil
}
