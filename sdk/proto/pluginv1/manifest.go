package pluginv1

// This file is the hand-written half of the wire contract: what the host
// and the SDK must agree on besides the generated messages. Plugin authors
// never import this package; package sdk converts at the boundary.

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"
)

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

// ValidateManifest checks a manifest the way the host does when it loads a
// plugin; the SDK runs the same check when the plugin starts, so that a
// mistake shows in the plugin's own error output first. Every problem is
// named in one error.
func ValidateManifest(m *Manifest) error {
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
		kind := "route"
		if r.Page {
			kind = "page"
		}
		switch {
		case r.Page && r.Method != http.MethodGet && r.Method != http.MethodPost:
			// An HTML form sends GET or POST; pages must work without JS.
			fail("page %s %s: method must be GET or POST", r.Method, r.Path)
		case !methods[r.Method]:
			fail("route %s %s: method must be GET, POST, PUT, PATCH or DELETE", r.Method, r.Path)
		}
		if !strings.HasPrefix(r.Path, "/") || len(r.Path) > maxPathBytes || strings.ContainsAny(r.Path, " \t\r\n") {
			fail("%s %s %q: path must start with /, hold no spaces and be at most %d bytes", kind, r.Method, r.Path, maxPathBytes)
		}
		key := r.Method + " " + r.Path
		if seen[kind+" "+key] {
			fail("%s %s is declared twice", kind, key)
		}
		seen[kind+" "+key] = true
		switch {
		case r.Public && r.Permission != "":
			fail("%s %s: a public %s has no permission", kind, key, kind)
		case !r.Public && r.Permission == "":
			fail("%s %s: give a permission or mark it public", kind, key)
		case !r.Public && !perms[r.Permission]:
			fail("%s %s: permission %s is not declared", kind, key, r.Permission)
		}
		for _, msg := range pageProblems(r) {
			fail("%s %s: %s", kind, key, msg)
		}
		if r.MaxBodyBytes < 0 || r.MaxBodyBytes > maxBodyLimit {
			fail("route %s: max body bytes must be from 0 to %d", key, int64(maxBodyLimit))
		}
		if rl := r.RateLimit; rl != nil && (rl.Requests < 1 || rl.Requests > 1_000_000 || rl.WindowSeconds < 1 || rl.WindowSeconds > 86400) {
			fail("route %s: a rate limit allows 1 to 1,000,000 requests in a window of 1 s to 24 h", key)
		}
	}
	// Pages are matched apart from API routes (the same method and path
	// may be both), so each kind is checked for conflicts on its own.
	var apiRoutes, pages []*Route
	for _, r := range m.Routes {
		if r.Page {
			pages = append(pages, r)
		} else {
			apiRoutes = append(apiRoutes, r)
		}
	}
	for _, msg := range routeConflicts("route", apiRoutes) {
		fail("%s", msg)
	}
	for _, msg := range routeConflicts("page", pages) {
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
			if f.Type < FieldType_FIELD_TYPE_STRING || f.Type > FieldType_FIELD_TYPE_JSON {
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

// routeConflicts lists the pairs of routes (or of pages: kind names
// which, for the messages) the host could not tell apart.
// The host routes with net/http.ServeMux, which refuses (panics on) two
// patterns that match the same requests with neither more specific, such
// as GET /items/{id} and GET /items/{code}: those are named in plain words
// first, then every pattern is registered in a ServeMux of its own to catch
// whatever else it refuses.
func routeConflicts(kind string, routes []*Route) []string {
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
			out = append(out, fmt.Sprintf("%ss %s and %s differ only by wildcard names: a request matches both", kind, prev, pattern))
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
			out = append(out, fmt.Sprintf("%s %s cannot be served: %s", kind, pattern, msg))
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

// Bounds of a page's navigation entry: a label fits a phone's menu.
const (
	maxMenuLabel = 40 // characters
	maxIconBytes = 32
)

var iconRE = regexp.MustCompile(`^[a-z0-9-]{0,32}$`)

// pageProblems lists what is wrong with a route's page fields: a menu
// entry or widget only on a page, on a GET of a fixed path (the host links
// to it and fetches it with no values to fill in), a menu entry not public
// (the console shows it), and menu labels of sensible length. A widget may
// be public: the host shows it on the tenant's public home (the portal),
// fetched for an anonymous caller.
func pageProblems(r *Route) []string {
	var out []string
	if !r.Page {
		if r.Menu != nil || r.Widget {
			out = append(out, "only a page can have a menu entry or be a widget")
		}
		return out
	}
	fixed := r.Method == http.MethodGet && !strings.Contains(r.Path, "{")
	if r.Menu != nil {
		if !fixed || r.Public {
			out = append(out, "a menu entry needs a console GET page of a fixed path (no wildcards)")
		}
		if n := utf8.RuneCountInString(r.Menu.Label); n < 1 || n > maxMenuLabel || !utf8.ValidString(r.Menu.Label) {
			out = append(out, fmt.Sprintf("menu label must be 1 to %d characters", maxMenuLabel))
		}
		if utf8.RuneCountInString(r.Menu.LabelEn) > maxMenuLabel || !utf8.ValidString(r.Menu.LabelEn) {
			out = append(out, fmt.Sprintf("menu label (English) must be at most %d characters", maxMenuLabel))
		}
		if !iconRE.MatchString(r.Menu.Icon) {
			out = append(out, fmt.Sprintf("menu icon must be at most %d characters of a-z, 0-9 or -", maxIconBytes))
		}
	}
	if r.Widget && !fixed {
		out = append(out, "a widget needs a GET page of a fixed path (no wildcards)")
	}
	return out
}

func reservedField(name string) bool {
	switch name {
	case "id", "tenant", "version", "created_at", "updated_at":
		return true
	}
	return false
}
