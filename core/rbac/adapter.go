package rbac

import (
	"errors"
	"fmt"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"gorm.io/gorm"
)

// Rule is a row of Casbin's policy table, casbin_rule: Ptype is "p" (a
// role holds a permission: V0 role subject, V1 permission) or "g" (a user
// holds a role in a tenant: V0 user subject, V1 role subject, V2 tenant).
// Unused columns hold "" (never NULL), so the unique index over every
// column refuses a duplicate rule.
//
// The table and its columns are those of github.com/casbin/gorm-adapter/v3,
// which earlier releases used: databases created by them are read and
// written as they are.
type Rule struct {
	ID    uint   `gorm:"primaryKey;autoIncrement"`
	Ptype string `gorm:"size:100"`
	V0    string `gorm:"size:100"`
	V1    string `gorm:"size:100"`
	V2    string `gorm:"size:100"`
	V3    string `gorm:"size:100"`
	V4    string `gorm:"size:100"`
	V5    string `gorm:"size:100"`
}

// TableName is the policy table's name.
func (Rule) TableName() string { return "casbin_rule" }

// maxRuleValues is how many values after the ptype a row holds (V0..V5).
const maxRuleValues = 6

// ruleIndex is the unique index over every column that the gorm adapter
// created and that existing databases have.
const ruleIndex = "idx_casbin_rule"

// createRuleTable creates casbin_rule and its unique index, as the gorm
// adapter did, when they do not exist yet.
func createRuleTable(tx *gorm.DB) error {
	if err := tx.AutoMigrate(&Rule{}); err != nil {
		return fmt.Errorf("creating casbin_rule: %w", err)
	}
	if tx.Migrator().HasIndex(&Rule{}, ruleIndex) {
		return nil
	}
	if err := tx.Exec("CREATE UNIQUE INDEX " + ruleIndex + " ON casbin_rule (ptype,v0,v1,v2,v3,v4,v5)").Error; err != nil {
		return fmt.Errorf("creating index %s: %w", ruleIndex, err)
	}
	return nil
}

// newRule makes the row of a policy line: ptype and up to six values.
func newRule(ptype string, values []string) (Rule, error) {
	if len(values) > maxRuleValues {
		return Rule{}, fmt.Errorf("a %s rule of %d values: casbin_rule holds at most %d", ptype, len(values), maxRuleValues)
	}
	var v [maxRuleValues]string
	copy(v[:], values)
	return Rule{Ptype: ptype, V0: v[0], V1: v[1], V2: v[2], V3: v[3], V4: v[4], V5: v[5]}, nil
}

// values returns the row's values without the trailing empty ones: the
// policy line Casbin knows (["role:admin", "users.write"] for a p row).
func (r Rule) values() []string {
	v := r.values6()
	n := len(v)
	for n > 0 && v[n-1] == "" {
		n--
	}
	return v[:n]
}

// columns are the value columns in order, for filters by position.
var columns = [maxRuleValues]string{"v0", "v1", "v2", "v3", "v4", "v5"}

// adapter is Casbin's persist.Adapter over casbin_rule in the host's own
// database: the whole policy is loaded at once (rows in id order) and
// saved rule by rule. It replaces github.com/casbin/gorm-adapter/v3, which
// linked the MySQL and SQL Server drivers into every build of the host.
type adapter struct{ db *gorm.DB }

var _ persist.Adapter = adapter{}

// LoadPolicy adds every stored rule to m; a duplicated row counts once.
func (a adapter) LoadPolicy(m model.Model) error {
	var rules []Rule
	if err := a.db.Order("id").Find(&rules).Error; err != nil {
		return fmt.Errorf("reading casbin_rule: %w", err)
	}
	for _, r := range rules {
		if r.Ptype == "" {
			continue
		}
		if err := persist.LoadPolicyArray(append([]string{r.Ptype}, r.values()...), m); err != nil {
			return fmt.Errorf("loading rule %d (%s %v): %w", r.ID, r.Ptype, r.values(), err)
		}
	}
	return nil
}

// SavePolicy replaces the stored policy by m's p and g rules, in one
// transaction.
func (a adapter) SavePolicy(m model.Model) error {
	var rows []Rule
	for _, sec := range []string{"p", "g"} {
		for ptype, ast := range m[sec] {
			for _, line := range ast.Policy {
				r, err := newRule(ptype, line)
				if err != nil {
					return err
				}
				rows = append(rows, r)
			}
		}
	}
	return a.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("1 = 1").Delete(&Rule{}).Error; err != nil {
			return fmt.Errorf("clearing casbin_rule: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		if err := tx.CreateInBatches(rows, 100).Error; err != nil {
			return fmt.Errorf("saving the policy: %w", err)
		}
		return nil
	})
}

// AddPolicy stores one rule.
func (a adapter) AddPolicy(_, ptype string, line []string) error {
	r, err := newRule(ptype, line)
	if err != nil {
		return err
	}
	if err := a.db.Create(&r).Error; err != nil {
		return fmt.Errorf("adding %s rule %v: %w", ptype, line, err)
	}
	return nil
}

// RemovePolicy deletes the rule equal to line (every column, the unused
// ones empty).
func (a adapter) RemovePolicy(_, ptype string, line []string) error {
	r, err := newRule(ptype, line)
	if err != nil {
		return err
	}
	q := a.db.Where("ptype = ?", ptype)
	for i, v := range r.values6() {
		q = q.Where(columns[i]+" = ?", v)
	}
	if err := q.Delete(&Rule{}).Error; err != nil {
		return fmt.Errorf("removing %s rule %v: %w", ptype, line, err)
	}
	return nil
}

// RemoveFilteredPolicy deletes the rules of ptype whose values from
// position fieldIndex on equal values; an empty value matches anything.
func (a adapter) RemoveFilteredPolicy(_, ptype string, fieldIndex int, values ...string) error {
	if fieldIndex < 0 || fieldIndex+len(values) > maxRuleValues {
		return errors.New("a filter beyond the six values of casbin_rule")
	}
	q := a.db.Where("ptype = ?", ptype)
	for i, v := range values {
		if v != "" {
			q = q.Where(columns[fieldIndex+i]+" = ?", v)
		}
	}
	if err := q.Delete(&Rule{}).Error; err != nil {
		return fmt.Errorf("removing %s rules from v%d matching %v: %w", ptype, fieldIndex, values, err)
	}
	return nil
}

// values6 returns all six values, empty ones included.
func (r Rule) values6() [maxRuleValues]string {
	return [maxRuleValues]string{r.V0, r.V1, r.V2, r.V3, r.V4, r.V5}
}
