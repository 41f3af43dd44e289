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
	// Personal marks personal data (UU PDP): the host audits its reads.
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
}

var (
	idRE    = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)
	permRE  = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)
	nameRE  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
	eventRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)
	methods = map[string]bool{http.MethodGet: true, http.MethodPost: true, http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true}
)

// Validate checks the manifest the way the host will, so that a mistake
// shows when the plugin starts rather than when the host refuses it.
func (m *Manifest) Validate() error {
	return ValidateManifest(m.proto())
}

// ValidateManifest checks a manifest received over the wire.
func ValidateManifest(m *pb.Manifest) error {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if !idRE.MatchString(m.Id) {
		fail("id %q must be 2 to 32 characters of a-z, 0-9 or _, starting with a letter", m.Id)
	}
	if m.Version == "" {
		fail("version is required")
	}
	perms := map[string]bool{}
	for _, p := range m.Permissions {
		if !permRE.MatchString(p.Name) || !strings.HasPrefix(p.Name, m.Id+".") {
			fail("permission %q must be named %s.<object>.<action>", p.Name, m.Id)
		}
		if perms[p.Name] {
			fail("permission %s is declared twice", p.Name)
		}
		perms[p.Name] = true
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
		if !strings.HasPrefix(r.Path, "/") {
			fail("route %s %s: path must start with /", r.Method, r.Path)
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
		if r.MaxBodyBytes < 0 {
			fail("route %s: max body bytes cannot be negative", key)
		}
		if rl := r.RateLimit; rl != nil && (rl.Requests < 1 || rl.Requests > 1_000_000 || rl.WindowSeconds < 1 || rl.WindowSeconds > 86400) {
			fail("route %s: a rate limit allows 1 to 1,000,000 requests in a window of 1 s to 24 h", key)
		}
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
		fields := map[string]bool{}
		for _, f := range c.Fields {
			if !nameRE.MatchString(f.Name) || reservedField(f.Name) {
				fail("collection %s: field %q must be a-z, 0-9 or _ and not one of id, tenant, version, created_at, updated_at", c.Name, f.Name)
			}
			if fields[f.Name] {
				fail("collection %s: field %s is declared twice", c.Name, f.Name)
			}
			if f.Type < pb.FieldType_FIELD_TYPE_STRING || f.Type > pb.FieldType_FIELD_TYPE_JSON {
				fail("collection %s: field %s has no valid type", c.Name, f.Name)
			}
			fields[f.Name] = true
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
		if !eventRE.MatchString(e) {
			fail("event %q must be dotted lower-case words such as population.resident_moved", e)
		}
	}
	for _, e := range m.Publishes {
		if !strings.HasPrefix(e, m.Id+".") {
			fail("published event %s must start with %s.", e, m.Id)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid manifest for plugin %q: %s", m.Id, strings.Join(errs, "; "))
	}
	return nil
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
		pc := &pb.Collection{Name: c.Name}
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
