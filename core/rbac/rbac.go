package rbac

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/tenancy"
)

// The Casbin model: roles hold permissions everywhere (p = role, perm);
// users hold roles in a domain, the tenant code (g = user, role, tenant).
// The tenant hierarchy is applied by Can, which asks about the tenant and each
// of its ancestors, so a policy never has to be copied down the tree.
// Subjects carry a "user:" or "role:" prefix so that a user named like a
// role (the first user is called admin) can never be mistaken for it.
const modelText = `
[request_definition]
r = sub, dom, obj

[policy_definition]
p = sub, obj

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && keyMatch(r.obj, p.obj)
`

func userSub(name string) string { return "user:" + name }
func roleSub(name string) string { return "role:" + name }

// Migrations create the Casbin policy table (casbin_rule, see Rule), the
// custom role catalogue and the policy version that tells every process when
// to reload.
func Migrations() []*store.Migration {
	type role struct {
		Name        string `gorm:"primaryKey;size:64"`
		Description string `gorm:"size:500"`
		CreatedBy   string `gorm:"size:64"`
		CreatedAt   time.Time
	}
	type policyVersion struct {
		ID      int `gorm:"primaryKey"`
		Version int64
	}
	ms := []*store.Migration{{
		ID: "202611240300_rbac",
		Migrate: func(tx *gorm.DB) error {
			if err := createRuleTable(tx); err != nil {
				return err
			}
			if err := tx.Table("roles").AutoMigrate(&role{}); err != nil {
				return err
			}
			if err := tx.Table("policy_versions").AutoMigrate(&policyVersion{}); err != nil {
				return err
			}
			return tx.Table("policy_versions").Create(&policyVersion{ID: 1}).Error
		},
	}}
	return append(ms, roleMigrations()...)
}

// policy is one load of the stored policy: the enforcer, never changed
// once loaded, and the answers Can gave from it. A change to grants or
// roles loads a new policy (Reload), so a remembered answer lives exactly
// as long as the enforcer that gave it: it is never staler than asking
// Casbin again.
type policy struct {
	enf *casbin.SyncedCachedEnforcer
	mu  sync.RWMutex
	can map[canKey]bool
}

// canKey is one question to Can.
type canKey struct{ user, tenant, perm string }

// maxDecisions bounds the answers a policy remembers (about 100 bytes
// each); past it they are forgotten and asked again.
const maxDecisions = 100_000

// Authorizer answers permission checks from an in-memory Casbin enforcer
// that is rebuilt whenever the stored policy changes.
type Authorizer struct {
	db       *store.DB
	registry *Registry
	pol      atomic.Pointer[policy]
	version  atomic.Int64
	mu       sync.Mutex // one rebuild at a time
	log      *slog.Logger
	hooks    []func() error
}

// OnReload adds work to do whenever the policy is reloaded: state that
// other processes change along with the policy version (module enablement).
func (a *Authorizer) OnReload(fn func() error) {
	a.mu.Lock()
	a.hooks = append(a.hooks, fn)
	a.mu.Unlock()
}

// New loads the policy and returns a ready Authorizer.
func New(db *store.DB, reg *Registry, log *slog.Logger) (*Authorizer, error) {
	if log == nil {
		log = slog.Default()
	}
	a := &Authorizer{db: db, registry: reg, log: log}
	if err := a.Reload(); err != nil {
		return nil, err
	}
	return a, nil
}

// Registry returns the permission catalogue.
func (a *Authorizer) Registry() *Registry { return a.registry }

// Reload rebuilds the enforcer from the database and the registry.
func (a *Authorizer) Reload() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	var version int64
	if err := a.db.Table("policy_versions").Select("version").Where("id = 1").Scan(&version).Error; err != nil {
		return fmt.Errorf("reading policy version: %w", err)
	}
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return err
	}
	enf, err := casbin.NewSyncedCachedEnforcer(m, adapter{db: a.db.Session(&gorm.Session{NewDB: true})})
	if err != nil {
		return fmt.Errorf("loading policy: %w", err)
	}
	// Built-in roles live in code: they are added in memory, never saved, so
	// the table only holds what administrators decided.
	enf.EnableAutoSave(false)
	var rules [][]string
	for role, perms := range a.registry.builtinPolicies() {
		for _, p := range perms {
			rules = append(rules, []string{roleSub(role), p})
		}
	}
	if _, err := enf.AddPolicies(rules); err != nil {
		return fmt.Errorf("adding built-in roles: %w", err)
	}
	enf.SetExpireTime(10 * time.Minute)
	a.pol.Store(&policy{enf: enf, can: map[canKey]bool{}})
	a.version.Store(version)
	for _, h := range a.hooks {
		if err := h(); err != nil {
			return err
		}
	}
	return nil
}

// Watch reloads the policy whenever another process (the CLI, another
// server) changed it, until ctx ends.
func (a *Authorizer) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			var v int64
			if err := a.db.WithContext(ctx).Table("policy_versions").Select("version").Where("id = 1").Scan(&v).Error; err != nil {
				if ctx.Err() == nil {
					a.log.Warn("checking policy version", "err", err)
				}
				continue
			}
			if v != a.version.Load() {
				if err := a.Reload(); err != nil {
					a.log.Error("reloading policy", "err", err)
				}
			}
		}
	}
}

// Bump records, in the caller's transaction, a change that every process
// must reload (grants, roles, module enablement).
func Bump(tx *gorm.DB) error { return bump(tx) }

// bump records a policy change in the same transaction as the change.
func bump(tx *gorm.DB) error {
	return tx.Exec("UPDATE policy_versions SET version = version + 1 WHERE id = 1").Error
}

// Can reports whether user holds perm in tenant: through a grant in the
// tenant itself, in any tenant above it, or in the global domain.
func (a *Authorizer) Can(user, tenant, perm string) bool {
	// A request asks the same few questions (its route's permission, then
	// each of the plugin's for the grants it hands over): answers are
	// remembered for as long as the policy that gave them.
	p := a.pol.Load()
	k := canKey{user, tenant, perm}
	p.mu.RLock()
	ok, known := p.can[k]
	p.mu.RUnlock()
	if known {
		return ok
	}
	ok = can(p.enf, user, tenant, perm)
	p.mu.Lock()
	if len(p.can) >= maxDecisions {
		p.can = map[canKey]bool{}
	}
	p.can[k] = ok
	p.mu.Unlock()
	return ok
}

// can asks the enforcer whether user holds perm in tenant.
func can(enf *casbin.SyncedCachedEnforcer, user, tenant, perm string) bool {
	sub := userSub(user)
	if tenant != Global {
		// The tenant, then each ancestor (tenancy.Ancestors, without
		// building the list: this runs several times a request).
		for dom := tenant; ; {
			if ok, _ := enf.Enforce(sub, dom, perm); ok {
				return true
			}
			i := strings.LastIndexByte(dom, '.')
			if i <= 0 {
				break
			}
			dom = dom[:i]
		}
	}
	ok, _ := enf.Enforce(sub, Global, perm)
	return ok
}

// Require is Can that returns a 403 error.
func (a *Authorizer) Require(user, tenant, perm string) error {
	if a.Can(user, tenant, perm) {
		return nil
	}
	where := "tenant " + tenant
	if tenant == Global {
		where = "the whole deployment"
	}
	return apierr.Forbidden("you do not have %s in %s", perm, where)
}

// Grant is a set of roles a user holds in one tenant.
type Grant struct {
	Tenant string   `json:"tenant"`
	Roles  []string `json:"roles"`
}

// Grants returns a user's grants from the database, by tenant.
func Grants(db *gorm.DB, user string) ([]Grant, error) {
	var rules []Rule
	if err := db.Where("ptype = 'g' AND v0 = ?", userSub(user)).Order("v2, v1").Find(&rules).Error; err != nil {
		return nil, fmt.Errorf("reading grants of %s: %w", user, err)
	}
	return groupGrants(rules, func(r Rule) string { return r.V2 }), nil
}

func groupGrants(rules []Rule, key func(Rule) string) []Grant {
	var out []Grant
	for _, r := range rules {
		k := key(r)
		if len(out) == 0 || out[len(out)-1].Tenant != k {
			out = append(out, Grant{Tenant: k})
		}
		last := &out[len(out)-1]
		last.Roles = append(last.Roles, strings.TrimPrefix(r.V1, "role:"))
	}
	return out
}

// Member is a user's roles in one tenant.
type Member struct {
	Username string   `json:"username"`
	Roles    []string `json:"roles"`
}

// Members lists who holds roles directly in a tenant.
func Members(db *gorm.DB, tenant string) ([]Member, error) {
	var rules []Rule
	if err := db.Where("ptype = 'g' AND v2 = ?", tenant).Order("v0, v1").Find(&rules).Error; err != nil {
		return nil, fmt.Errorf("reading members of %s: %w", tenant, err)
	}
	out := []Member{}
	for _, g := range groupGrants(rules, func(r Rule) string { return r.V0 }) {
		out = append(out, Member{Username: strings.TrimPrefix(g.Tenant, "user:"), Roles: g.Roles})
	}
	return out, nil
}

// UsersWithGrantsIn returns the users holding any grant in the subtrees of
// roots.
func UsersWithGrantsIn(db *gorm.DB, roots []string) ([]string, error) {
	clause, args := tenancy.SubtreeClause("v2", roots)
	var subs []string
	if err := db.Model(&Rule{}).Distinct("v0").Where("ptype = 'g'").Where(clause, args...).Pluck("v0", &subs).Error; err != nil {
		return nil, err
	}
	for i, s := range subs {
		subs[i] = strings.TrimPrefix(s, "user:")
	}
	return subs, nil
}

// Scopes returns the tenants (roots of subtrees) in which user holds perm,
// from the user's grants; Global means everywhere.
func (a *Authorizer) Scopes(db *gorm.DB, user, perm string) ([]string, error) {
	grants, err := Grants(db, user)
	if err != nil {
		return nil, err
	}
	enf := a.pol.Load().enf
	scopes := []string{}
	for _, g := range grants {
		if ok, _ := enf.Enforce(userSub(user), g.Tenant, perm); ok {
			if g.Tenant == Global {
				return []string{Global}, nil
			}
			scopes = append(scopes, g.Tenant)
		}
	}
	// Drop scopes inside other scopes.
	sort.Strings(scopes)
	out := scopes[:0]
	for _, s := range scopes {
		if len(out) > 0 && tenancy.Within(s, out[len(out)-1]) {
			continue
		}
		out = append(out, s)
	}
	return out, nil
}

// SetRoles replaces the roles user holds directly in tenant (none removes
// the membership). The caller checks that the actor may do so.
func SetRoles(tx *gorm.DB, tenant, user string, roles []string) error {
	if err := tx.Where("ptype = 'g' AND v0 = ? AND v2 = ?", userSub(user), tenant).Delete(&Rule{}).Error; err != nil {
		return fmt.Errorf("removing grants: %w", err)
	}
	seen := map[string]bool{}
	for _, r := range roles {
		if seen[r] {
			continue
		}
		seen[r] = true
		if err := tx.Create(&Rule{Ptype: "g", V0: userSub(user), V1: roleSub(r), V2: tenant}).Error; err != nil {
			return fmt.Errorf("granting %s: %w", r, err)
		}
	}
	return bump(tx)
}

// DropTenant removes every grant in a tenant (when it is deleted).
func DropTenant(tx *gorm.DB, tenant string) error {
	if err := tx.Where("ptype = 'g' AND v2 = ?", tenant).Delete(&Rule{}).Error; err != nil {
		return err
	}
	return bump(tx)
}
