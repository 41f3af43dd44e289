// Package sdk is what a Balai plugin imports. A plugin is one value, a
// Plugin: its manifest (id, permissions, collections, events) and its
// routes, each route carrying its own handler. sdk.Serve runs it as a
// plugin process that the host loads, protects and serves:
//
//	func main() { sdk.Serve(&sdk.Plugin{ID: "hello", Version: "1.0.0", Routes: ...}) }
//
// The host checks every request before the plugin sees it (login,
// permission, tenant, module enabled, body size, rate limit). Inside a
// handler, sdk.From(r) gives the caller, the tenant, the tenant's clock and
// the tenant-scoped storage, events, files and settings. A handler reads and
// writes its own tenant (and, with Subtree, the tenants below it where the
// module is on); Batch.InsertInto, Batch.Move and Batch.PublishIn name
// another tenant, and the host allows them only where the module is on and
// the caller holds the route's own permission. Personal fields come masked unless the
// caller may see them (Field.Personal).
package sdk

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	wire "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Version is this SDK's release. The manifest carries it, so that the host
// can say which SDK a refused plugin was built with.
const Version = "v1.0.0"

// Plugin is a plugin: its manifest and its handlers in one value, so that
// a route cannot be declared without a handler or served without being
// declared. The host reads everything but the handlers as the manifest.
type Plugin struct {
	// ID names the plugin: 2 to 32 characters of a-z, 0-9 and _, starting
	// with a letter; the plugin binary's file carries the same name. Its
	// routes are served below /api/v1/t/{tenant}/{ID}; its permissions,
	// events and audit actions begin with "ID.".
	ID string
	// Version is the plugin's own release ("1.2.0"), shown to operators.
	Version     string
	Vendor      string
	Description string
	// Permissions the routes and checks use, named ID.<object>.<action>.
	Permissions []Permission
	// Routes are the plugin's endpoints, each with its handler.
	Routes []Route
	// Pages are the plugin's screens, each with its handler: HTML fragments
	// the host wraps in its console (or public) shell. See Page.
	Pages []PageRoute
	// Collections are the kinds of record the plugin stores.
	Collections []Collection
	// Publishes lists the events the plugin publishes, each named
	// ID.<event> ("population.resident_moved").
	Publishes []string
	// Consumes lists the events the plugin handles, with their handlers.
	Consumes []Consumer
	// Uses lists the other plugins' permissions this plugin exercises when
	// it calls their routes with Request.Call ("population.residents.read").
	// A call to a route whose permission is not listed is refused with 403
	// permission_not_declared, and the called plugin sees the caller's
	// grants cut down to this list: a plugin acts for its user only as far
	// as it said it would.
	Uses []string
	// Health, if set, is asked when the host checks the plugin; an error
	// marks the plugin unhealthy with the error's text.
	Health func(context.Context) error
}

// Permission is one permission the plugin declares.
type Permission struct {
	// Name is ID.<object>.<action>, such as "hello.notes.write".
	Name        string
	Description string
	// Roles lists the built-in roles that get it: "operator", "viewer".
	// admin and superadmin hold every permission anyway.
	Roles []string
}

// Route is one endpoint of the plugin, below /api/v1/t/{tenant}/{plugin}.
type Route struct {
	// Method and Path form a net/http.ServeMux pattern: "GET /residents/{id}".
	// The host matches requests with the same patterns, and the plugin
	// serves each with its route's Handler, so r.PathValue("id") is set.
	Method string
	Path   string
	// Permission the caller needs in the tenant; empty only with Public.
	Permission string
	// Public routes need no login (the village's public page).
	Public bool
	// MaxBodyBytes bounds the request body; 0 is the host's default (1 MiB).
	MaxBodyBytes int64
	// Timeout bounds the call, in whole milliseconds; 0 is the host's
	// default (30 s).
	Timeout time.Duration
	// RateLimit bounds how often one client may call the route; the host
	// answers the excess 429 rate_limited with Retry-After. nil is the
	// host's default: public POST, PUT, PATCH and DELETE routes allow 30
	// requests per minute per client address, and other routes are not
	// limited. On a public route the limit counts per client address (per
	// username for a logged-in caller); on other routes, per username.
	RateLimit *RateLimit
	// Handler serves the route. Func adapts a function that returns a
	// status and a value to answer as JSON.
	Handler http.Handler
}

// PageRoute is one screen of the plugin (named so because the function Page
// reads ?page=&limit= since SDK v1.0). The host serves a console page at
// /console/{tenant}/m/{plugin}{Path} to a logged-in user holding Permission
// in the tenant, and a Public page at /{tenant}/{plugin}{Path} to anyone,
// with the same checks as a Route (login, permission, module enabled, rate
// limit, body limit, masking and audit of personal data). Pages are matched
// apart from Routes: an API route and a page may share a method and path.
//
// The handler answers an HTML fragment (see package sdk/ui, which writes
// it with the headers the host expects) that the host puts inside its
// shell; any other answer (a CSV download, a PDF) passes through as is.
// Request.Page tells the handler its page root, CSRF token and language.
type PageRoute struct {
	// Method is GET or POST (what an HTML form sends); Path a
	// net/http.ServeMux path below the module's page root, as for a Route:
	// "GET" "/residents/{id}".
	Method, Path string
	// Permission the user needs in the tenant; empty only with Public.
	Permission string
	// Public pages are a citizen's: no login, served at /{tenant}/{plugin}{Path}.
	Public bool
	// Menu, when set, puts the page in the console navigation; only on a
	// console GET page of a fixed path (no wildcards).
	Menu *MenuEntry
	// Widget: the host shows this GET page's fragment on the tenant's
	// dashboard (to users holding Permission), fetched with a 2 s bound; a
	// fixed path. A Public widget is shown instead on the tenant's public
	// home in the portal (/{tenant}/), fetched for an anonymous caller.
	Widget bool
	// MaxBodyBytes bounds the request body, as for a Route (uploads); 0 is
	// the host's default (1 MiB).
	MaxBodyBytes int64
	// RateLimit bounds how often one client may call the page, as for a
	// Route: nil is the host's default (a public POST page allows 30 per
	// minute per client address). A page counts apart from an API route of
	// the same pattern, so a form page and the API it mirrors each need
	// their own limit (a citizen's letter request: 20 per hour on both).
	RateLimit *RateLimit
	// Handler serves the page.
	Handler http.Handler
}

// MenuEntry is a page's entry in the console navigation.
type MenuEntry struct {
	// Label is in Bahasa Indonesia ("Penduduk"), LabelEN in English
	// ("Residents"; empty shows Label); each at most 40 characters.
	Label, LabelEN string
	// Icon names one of the host's icons, drawn before the label: home,
	// users, upload, download, chart, note, file, mail, shop, box,
	// calendar, alert, money, chat, map, building, star, check, settings,
	// dashboard. Another name (a-z, 0-9 and -) or empty shows none.
	Icon string
	// Order places the entry: lower first, then by Label.
	Order int
}

// RateLimit is a token bucket: a client may make Requests calls at once,
// and regains them evenly over Window, so that Requests per Window is the
// sustained rate. Window is in whole seconds, from 1 s to 24 h.
type RateLimit struct {
	Requests int
	Window   time.Duration
}

// wire converts the limit to its wire form; nil stays nil (the host's
// default). Out-of-range values are clamped to 0, which the host refuses.
func (rl *RateLimit) wire() *wire.RateLimit {
	if rl == nil {
		return nil
	}
	requests, window := uint32(0), uint32(0)
	if rl.Requests > 0 && rl.Requests <= 1_000_000 {
		requests = uint32(rl.Requests)
	}
	if rl.Window >= time.Second && rl.Window <= 24*time.Hour {
		window = uint32(rl.Window / time.Second)
	}
	return &wire.RateLimit{Requests: requests, WindowSeconds: window}
}

// Consumer handles one event the plugin consumes.
type Consumer struct {
	// Event is the event's name ("population.resident_moved").
	Event string
	// Handle runs for each delivery. Returning an error asks for
	// redelivery later: delivery is at least once, so Handle must be
	// idempotent (key what it writes on Event.ID). Inside it, FromContext
	// gives the event's tenant, clock and storage, with no user.
	Handle func(ctx context.Context, ev Event) error
}

// Event is a delivered event.
type Event struct {
	// ID is unique per deployment and the same on every redelivery.
	ID uint64
	// Name is the event's name; Source the plugin that published it.
	Name   string
	Source string
	// Payload is the JSON the publisher gave; decode it with Unmarshal.
	Payload []byte
	// At is when it was published, in UTC.
	At time.Time
}

// FieldType is the type of a collection field.
type FieldType int

// Field types. The host refuses a value of the wrong type as a programming
// error (500, logged): check a client's input before storing it.
const (
	// String is any UTF-8 text.
	String FieldType = iota + 1
	// Int is a whole number (a JSON number with no fraction), 64 bits.
	Int
	// Float is a JSON number.
	Float
	// Bool is true or false.
	Bool
	// Date is a calendar date, "YYYY-MM-DD".
	Date
	// Time is an instant, RFC 3339 ("2026-11-30T09:00:00+07:00").
	Time
	// Object is any JSON value, stored as is.
	Object
)

// Field is one field of a collection.
type Field struct {
	// Name is a-z, 0-9 and _, at most 61 characters, and not a pseudo-field.
	Name string
	Type FieldType
	// Required fields must be present and not null on insert; a record
	// without one is refused with 422 invalid.
	Required bool
	// Personal marks personal data (UU PDP 27/2022: a NIK, a name, a birth
	// date). The host masks it in every record a plugin reads for a caller
	// who does not hold the collection's PersonalPermission, and writes an
	// audit entry for every read that shows it unmasked to a user.
	Personal bool
}

// Pseudo-fields every record has besides its declared fields. Queries,
// filters and sorts may name them; records carry them outside Data.
const (
	// FieldID is the record's id, a UUID string the host assigns.
	FieldID = "id"
	// FieldTenant is the Kemendagri code of the tenant that owns it.
	FieldTenant = "tenant"
	// FieldVersion counts its writes, from 1; Update and Delete take it to
	// refuse a write over a change made since it was read.
	FieldVersion = "version"
	// FieldCreatedAt and FieldUpdatedAt are instants (Time).
	FieldCreatedAt = "created_at"
	FieldUpdatedAt = "updated_at"
)

// Index speeds up queries on its fields; a unique index refuses duplicates
// within a tenant, or across the deployment with DeploymentWide.
type Index struct {
	Fields         []string
	Unique         bool
	DeploymentWide bool
}

// Collection is a kind of record the plugin stores through the host, in a
// table of its own that no other plugin can reach.
type Collection struct {
	// Name is a-z, 0-9 and _, starting with a letter.
	Name    string
	Fields  []Field
	Indexes []Index
	// PersonalPermission is the plugin's permission that shows the
	// collection's Personal fields unmasked ("posyandu.children.read_personal");
	// required when a field is Personal.
	PersonalPermission string
}

// Validate checks the plugin the way the host will, and that every route
// has a handler and every consumed event a Handle, so that a mistake shows
// when the plugin starts rather than when the host refuses it. All problems
// are named in one error.
func (p *Plugin) Validate() error {
	var errs []string
	if err := wire.ValidateManifest(p.wire()); err != nil {
		errs = append(errs, strings.TrimPrefix(err.Error(), fmt.Sprintf("invalid manifest for plugin %q: ", p.ID)))
	}
	for _, r := range p.Routes {
		if r.Handler == nil {
			errs = append(errs, fmt.Sprintf("route %s %s has no handler", r.Method, r.Path))
		}
	}
	for _, pg := range p.Pages {
		if pg.Handler == nil {
			errs = append(errs, fmt.Sprintf("page %s %s has no handler", pg.Method, pg.Path))
		}
	}
	seen := map[string]bool{}
	for _, c := range p.Consumes {
		switch {
		case c.Handle == nil:
			errs = append(errs, fmt.Sprintf("consumed event %s has no handler", c.Event))
		case seen[c.Event]:
			errs = append(errs, fmt.Sprintf("event %s is consumed twice", c.Event))
		}
		seen[c.Event] = true
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid manifest for plugin %q: %s", p.ID, strings.Join(errs, "; "))
	}
	return nil
}

// wire converts the plugin's manifest to its wire form.
func (p *Plugin) wire() *wire.Manifest {
	out := &wire.Manifest{
		Id: p.ID, Version: p.Version, Vendor: p.Vendor, Description: p.Description,
		Publishes: p.Publishes, Uses: p.Uses, Protocol: wire.Protocol, SdkVersion: Version,
	}
	for _, c := range p.Consumes {
		out.Consumes = append(out.Consumes, c.Event)
	}
	for _, perm := range p.Permissions {
		out.Permissions = append(out.Permissions, &wire.Permission{Name: perm.Name, Description: perm.Description, Roles: perm.Roles})
	}
	for _, r := range p.Routes {
		pr := &wire.Route{Method: r.Method, Path: r.Path, Permission: r.Permission, Public: r.Public, MaxBodyBytes: r.MaxBodyBytes}
		if r.Timeout > 0 {
			pr.TimeoutMs = uint32(min(r.Timeout.Milliseconds(), 1<<31))
		}
		pr.RateLimit = r.RateLimit.wire()
		out.Routes = append(out.Routes, pr)
	}
	for _, pg := range p.Pages {
		// Pages travel as routes with the page flag (new optional fields of
		// wire protocol 3): a plugin without pages looks the same as before.
		pr := &wire.Route{Method: pg.Method, Path: pg.Path, Permission: pg.Permission, Public: pg.Public, MaxBodyBytes: pg.MaxBodyBytes, Page: true, Widget: pg.Widget, RateLimit: pg.RateLimit.wire()}
		if m := pg.Menu; m != nil {
			pr.Menu = &wire.MenuEntry{Label: m.Label, LabelEn: m.LabelEN, Icon: m.Icon, Order: int32(max(min(m.Order, 1<<30), -1<<30))}
		}
		out.Routes = append(out.Routes, pr)
	}
	for _, c := range p.Collections {
		pc := &wire.Collection{Name: c.Name, PersonalPermission: c.PersonalPermission}
		for _, f := range c.Fields {
			pc.Fields = append(pc.Fields, &wire.Field{Name: f.Name, Type: wire.FieldType(f.Type), Required: f.Required, Personal: f.Personal})
		}
		for _, ix := range c.Indexes {
			pc.Indexes = append(pc.Indexes, &wire.Index{Fields: ix.Fields, Unique: ix.Unique, DeploymentWide: ix.DeploymentWide})
		}
		out.Collections = append(out.Collections, pc)
	}
	return out
}
