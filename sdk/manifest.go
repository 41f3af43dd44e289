// Package sdk is what a Balai plugin imports. A plugin is an ordinary
// http.Handler plus a Manifest; sdk.Serve runs it as a plugin process that
// the host loads, protects and serves. Inside a handler, sdk.From(r) gives
// the caller, the tenant and the tenant-scoped storage, events and files.
package sdk

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Protocol is the newest wire protocol this SDK speaks.
const Protocol = 3

// Manifest describes a plugin to the host.
type Manifest struct {
	ID          string
	Version     string
	Vendor      string
	Description string
	// Permissions the plugin's routes and checks use, named <id>.<object>.<action>.
	Permissions []Permission
	Routes      []Route
	Collections []Collection
	// Events the plugin publishes and those it wants delivered.
	Publishes []string
	Consumes  []string
	// Uses lists the other plugins' permissions this plugin exercises when
	// it calls their routes with Request.Call ("population.residents.read").
	// A call to a route whose permission is not listed is refused with 403
	// permission_not_declared, and the called plugin sees the caller's
	// grants cut down to this list: a plugin acts for its user only as far
	// as it said it would.
	Uses []string
}

// Permission is one permission the plugin declares.
type Permission struct {
	Name        string
	Description string
	// Roles lists the built-in roles that get it: "operator", "viewer".
	// admin and superadmin hold every permission anyway.
	Roles []string
}

// Route is one endpoint of the plugin, below /api/v1/t/{tenant}/{plugin}.
type Route struct {
	// Method and Path form a net/http pattern: "GET /residents/{id}".
	Method string
	Path   string
	// Permission the caller needs in the tenant; empty only with Public.
	Permission string
	// Public routes need no login (the village's public page).
	Public bool
	// MaxBodyBytes bounds the request body; 0 is the host's default (1 MiB).
	MaxBodyBytes int64
	// TimeoutMillis bounds the call; 0 is the host's default (30 s).
	TimeoutMillis int
	// RateLimit bounds how often one client may call the route; the host
	// answers the excess 429 rate_limited with Retry-After. nil is the
	// host's default: public POST, PUT, PATCH and DELETE routes allow 30
	// requests per minute per client address, and other routes are not
	// limited. On a public route the limit counts per client address (per
	// username for a logged-in caller); on other routes, per username.
	RateLimit *RateLimit
}

// RateLimit is a token bucket: a client may make Requests calls at once,
// and regains them evenly over Window, so that Requests per Window is the
// sustained rate. Window is in whole seconds, from 1 s to 24 h.
type RateLimit struct {
	Requests int
	Window   time.Duration
}

// FieldType is the type of a collection field.
type FieldType int

// Field types. Dates are "YYYY-MM-DD" strings, times RFC 3339.
const (
	String FieldType = iota + 1
	Int
	Float
	Bool
	Date
	Time
	Object // any JSON value, stored as is
)

// Field is one field of a collection.
type Field struct {
	Name     string
	Type     FieldType
	Required bool
	// Personal marks personal data (UU PDP): the host masks it for callers
	// without the collection's PersonalPermission and audits every read
	// that shows it unmasked.
	Personal bool
}

// Index speeds up queries on its fields; a unique index refuses duplicates
// within a tenant, or across the deployment with DeploymentWide.
type Index struct {
	Fields         []string
	Unique         bool
	DeploymentWide bool
}

// Collection is a kind of record the plugin stores through the host.
type Collection struct {
	Name    string
	Fields  []Field
	Indexes []Index
	// PersonalPermission is the plugin's permission that shows the
	// collection's Personal fields unmasked; required when a field is
	// Personal. (SDK v1's Collection has the same field.)
	PersonalPermission string
}

var (
	idRE    = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)
	permRE  = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)
	nameRE  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
	eventRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)
	methods = map[string]bool{http.MethodGet: true, http.MethodPost: true, http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true}
	// wildcardRE finds the wildcards of a route path, to compare paths
	// whatever their wildcards are named.
	wildcardRE = regexp.MustCompile(`\{[^{}]*\}`)
)

// Bounds of a manifest. The host keeps every manifest in memory and builds
// tables, indexes and a route table from it at each start: a manifest is a
// plugin's description, not a place for data.
const (
	maxRoutes      = 1000
	maxPermissions = 500
	maxCollections = 200
	maxFields      = 500  // per collection; SQLite allows 2000 columns, PostgreSQL 1600
	maxFieldName   = 61   // "f_" + name fits PostgreSQL's 63-byte identifiers
	maxPathBytes   = 512  // a route path
	maxTextBytes   = 4096 // version, vendor, description, and each permission's
	maxEvents      = 500  // published plus consumed
	maxUses        = 500
	maxBodyLimit   = 1 << 30
	maxNameBytes   = 128 // a permission or event name
)

// Validate checks the manifest the way the host will, so that a mistake
// shows when the plugin starts rather than when the host refuses it.
func (m *Manifest) Validate() error {
	return ValidateManifest(m.proto())
}

// ReservedIDs are the names of the host's own permissions, audit actions
// and API segments. A plugin's permissions, events and audit actions all
// begin with its id, so a plugin named "users" would declare users.write
// (and give it to viewers), and one named "user" would write audit entries
// that read as the host's user.update: no plugin may take these ids.
var ReservedIDs = map[string]bool{
	"admin": true, "api": true, "audit": true, "auth": true, "balai": true, "console": true,
	"core": true, "demo": true, "host": true, "idempotency": true, "login": true, "logout": true,
	"me": true, "member": true, "members": true, "module": true, "modules": true,
	"permission": true, "permissions": true, "plugin": true, "plugins": true, "role": true,
	"roles": true, "session": true, "sessions": true, "system": true, "tenant": true,
	"tenants": true, "token": true, "tokens": true, "user": true, "users": true,
}

// ValidateManifest checks a manifest received over the wire.
func ValidateManifest(m *pb.Manifest) error {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if !idRE.MatchString(m.Id) {
		fail("id %q must be 2 to 32 characters of a-z, 0-9 or _, starting with a letter", m.Id)
	} else if ReservedIDs[m.Id] {
		fail("id %q is reserved for the host (its permissions and audit actions begin with it): choose another", m.Id)
	}
	if m.Version == "" {
		fail("version is required")
	}
	if len(m.Version) > 64 || len(m.Vendor) > maxTextBytes || len(m.Description) > maxTextBytes {
		fail("version must be at most 64 bytes, vendor and description at most %d", maxTextBytes)
	}
	if len(m.Routes) > maxRoutes || len(m.Permissions) > maxPermissions || len(m.Collections) > maxCollections ||
		len(m.Publishes)+len(m.Consumes) > maxEvents || len(m.Uses) > maxUses {
		// Too large to check further in reasonable time and space.
		return fmt.Errorf("invalid manifest for plugin %q: at most %d routes, %d permissions, %d collections, %d events and %d uses",
			m.Id, maxRoutes, maxPermissions, maxCollections, maxEvents, maxUses)
	}
	perms := map[string]bool{}
	for _, p := range m.Permissions {
		if !permRE.MatchString(p.Name) || !strings.HasPrefix(p.Name, m.Id+".") || len(p.Name) > maxNameBytes {
			fail("permission %q must be named %s.<object>.<action>, at most %d bytes", p.Name, m.Id, maxNameBytes)
		}
		if perms[p.Name] {
			fail("permission %s is declared twice", p.Name)
		}
		perms[p.Name] = true
		if len(p.Description) > maxTextBytes {
			fail("permission %s: description longer than %d bytes", p.Name, maxTextBytes)
		}
		for _, r := range p.Roles {
			if r != "operator" && r != "viewer" {
				fail("permission %s: role %q cannot be given permissions (use operator or viewer)", p.Name, r)
			}
		}
	}
	seen := map[string]bool{}
	for _, r := range m.Routes {
		if !methods[r.Method] {
			fail("route %s %s: method must be GET, POST, PUT, PATCH or DELETE", r.Method, r.Path)
		}
		if !strings.HasPrefix(r.Path, "/") || len(r.Path) > maxPathBytes || strings.ContainsAny(r.Path, " \t\r\n") {
			fail("route %s %q: path must start with /, hold no spaces and be at most %d bytes", r.Method, r.Path, maxPathBytes)
		}
		key := r.Method + " " + r.Path
		if seen[key] {
			fail("route %s is declared twice", key)
		}
		seen[key] = true
		switch {
		case r.Public && r.Permission != "":
			fail("route %s: a public route has no permission", key)
		case !r.Public && r.Permission == "":
			fail("route %s: give a permission or mark it public", key)
		case !r.Public && !perms[r.Permission]:
			fail("route %s: permission %s is not declared", key, r.Permission)
		}
		if r.MaxBodyBytes < 0 || r.MaxBodyBytes > maxBodyLimit {
			fail("route %s: max body bytes must be from 0 to %d", key, int64(maxBodyLimit))
		}
		if rl := r.RateLimit; rl != nil && (rl.Requests < 1 || rl.Requests > 1_000_000 || rl.WindowSeconds < 1 || rl.WindowSeconds > 86400) {
			fail("route %s: a rate limit allows 1 to 1,000,000 requests in a window of 1 s to 24 h", key)
		}
	}
	for _, msg := range routeConflicts(m.Routes) {
		fail("%s", msg)
	}
	colls := map[string]bool{}
	for _, c := range m.Collections {
		if !nameRE.MatchString(c.Name) {
			fail("collection %q: name must be a-z, 0-9 or _, starting with a letter", c.Name)
		}
		if colls[c.Name] {
			fail("collection %s is declared twice", c.Name)
		}
		colls[c.Name] = true
		if len(c.Fields) > maxFields {
			fail("collection %s: at most %d fields", c.Name, maxFields)
			continue
		}
		fields := map[string]bool{}
		personal := false
		for _, f := range c.Fields {
			if !nameRE.MatchString(f.Name) || len(f.Name) > maxFieldName || reservedField(f.Name) {
				fail("collection %s: field %q must be at most %d characters of a-z, 0-9 or _ and not one of id, tenant, version, created_at, updated_at", c.Name, f.Name, maxFieldName)
			}
			if fields[f.Name] {
				fail("collection %s: field %s is declared twice", c.Name, f.Name)
			}
			if f.Type < pb.FieldType_FIELD_TYPE_STRING || f.Type > pb.FieldType_FIELD_TYPE_JSON {
				fail("collection %s: field %s has no valid type", c.Name, f.Name)
			}
			fields[f.Name] = true
			personal = personal || f.Personal
		}
		switch {
		case personal && c.PersonalPermission == "":
			fail("collection %s has personal fields: name the permission that shows them unmasked (personal permission)", c.Name)
		case c.PersonalPermission != "" && !perms[c.PersonalPermission]:
			fail("collection %s: personal permission %s is not declared", c.Name, c.PersonalPermission)
		case c.PersonalPermission != "" && !personal:
			fail("collection %s names a personal permission but has no personal field", c.Name)
		}
		for _, ix := range c.Indexes {
			if len(ix.Fields) == 0 {
				fail("collection %s: an index needs fields", c.Name)
			}
			for _, f := range ix.Fields {
				if !fields[f] {
					fail("collection %s: index on unknown field %s", c.Name, f)
				}
			}
			if ix.DeploymentWide && !ix.Unique {
				fail("collection %s: only a unique index can be deployment-wide", c.Name)
			}
		}
	}
	for _, e := range append(append([]string{}, m.Publishes...), m.Consumes...) {
		if !eventRE.MatchString(e) || len(e) > maxNameBytes {
			fail("event %q must be dotted lower-case words such as population.resident_moved, at most %d bytes", e, maxNameBytes)
		}
	}
	for _, e := range m.Publishes {
		if !strings.HasPrefix(e, m.Id+".") {
			fail("published event %s must start with %s.", e, m.Id)
		}
	}
	used := map[string]bool{}
	for _, u := range m.Uses {
		owner, _, _ := strings.Cut(u, ".")
		switch {
		case !permRE.MatchString(u) || !idRE.MatchString(owner) || len(u) > maxNameBytes:
			fail("uses %q must be another plugin's permission such as population.residents.read", u)
		case owner == m.Id:
			fail("uses %s: a plugin holds its own permissions; list only other plugins'", u)
		case used[u]:
			fail("uses %s is listed twice", u)
		}
		used[u] = true
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid manifest for plugin %q: %s", m.Id, strings.Join(errs, "; "))
	}
	return nil
}

// routeConflicts lists the pairs of routes the host could not tell apart.
// The host routes with net/http.ServeMux, which refuses (panics on) two
// patterns that match the same requests with neither more specific, such
// as GET /items/{id} and GET /items/{code}: those are named in plain words
// first, then every pattern is registered in a ServeMux of its own to catch
// whatever else it refuses.
func routeConflicts(routes []*pb.Route) []string {
	var out []string
	shape := map[string]string{}
	for _, r := range routes {
		if !methods[r.Method] || !strings.HasPrefix(r.Path, "/") {
			continue // reported already
		}
		key := r.Method + " " + wildcardRE.ReplaceAllStringFunc(r.Path, func(w string) string {
			switch {
			case w == "{$}": // the end of the path, not a wildcard
				return w
			case strings.HasSuffix(w, "...}"):
				return "{...}"
			}
			return "{}"
		})
		pattern := r.Method + " " + r.Path
		if prev, ok := shape[key]; ok && prev != pattern {
			out = append(out, fmt.Sprintf("routes %s and %s differ only by wildcard names: a request matches both", prev, pattern))
		}
		shape[key] = pattern
	}
	if len(out) > 0 {
		return out
	}
	mux := http.NewServeMux()
	seen := map[string]bool{}
	for _, r := range routes {
		pattern := r.Method + " " + r.Path
		if !methods[r.Method] || !strings.HasPrefix(r.Path, "/") || seen[pattern] {
			continue // reported already
		}
		seen[pattern] = true
		if msg := tryRegister(mux, pattern); msg != "" {
			out = append(out, fmt.Sprintf("route %s cannot be served: %s", pattern, msg))
		}
	}
	return out
}

// tryRegister adds pattern to mux and turns ServeMux's panic into a message.
func tryRegister(mux *http.ServeMux, pattern string) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprint(p)
		}
	}()
	mux.Handle(pattern, http.NotFoundHandler())
	return ""
}

func reservedField(name string) bool {
	switch name {
	case "id", "tenant", "version", "created_at", "updated_at":
		return true
	}
	return false
}

func (m *Manifest) proto() *pb.Manifest {
	out := &pb.Manifest{
		Id: m.ID, Version: m.Version, Vendor: m.Vendor, Description: m.Description,
		Publishes: m.Publishes, Consumes: m.Consumes, Protocol: Protocol,
	}
	out.Uses = m.Uses
	for _, p := range m.Permissions {
		out.Permissions = append(out.Permissions, &pb.Permission{Name: p.Name, Description: p.Description, Roles: p.Roles})
	}
	for _, r := range m.Routes {
		pr := &pb.Route{Method: r.Method, Path: r.Path, Permission: r.Permission, Public: r.Public, MaxBodyBytes: r.MaxBodyBytes, TimeoutMs: uint32(r.TimeoutMillis)}
		if rl := r.RateLimit; rl != nil {
			// Out-of-range values are clamped to 0, which validation refuses.
			requests, window := uint32(0), uint32(0)
			if rl.Requests > 0 && rl.Requests <= 1_000_000 {
				requests = uint32(rl.Requests)
			}
			if rl.Window >= time.Second && rl.Window <= 24*time.Hour {
				window = uint32(rl.Window / time.Second)
			}
			pr.RateLimit = &pb.RateLimit{Requests: requests, WindowSeconds: window}
		}
		out.Routes = append(out.Routes, pr)
	}
	for _, c := range m.Collections {
		pc := &pb.Collection{Name: c.Name, PersonalPermission: c.PersonalPermission}
		for _, f := range c.Fields {
			pc.Fields = append(pc.Fields, &pb.Field{Name: f.Name, Type: pb.FieldType(f.Type), Required: f.Required, Personal: f.Personal})
		}
		for _, ix := range c.Indexes {
			pc.Indexes = append(pc.Indexes, &pb.Index{Fields: ix.Fields, Unique: ix.Unique, DeploymentWide: ix.DeploymentWide})
		}
		out.Collections = append(out.Collections, pc)
	}
	return out
}
