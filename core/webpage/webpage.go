// Package webpage is the interface between the plugin runtime (core/plugin),
// which serves module pages, and the web layer (core/web), which wraps them
// in the host's shell. It holds types only.
package webpage

import (
	"context"
	"html/template"
	"net/http"
)

// MenuItem is one navigation entry a module brings.
type MenuItem struct {
	Plugin, Path, Label, LabelEN, Icon string
	Order                              int
}

// Widget is a dashboard fragment a module brings.
type Widget struct {
	Plugin, Title string
	HTML          template.HTML
}

// Call is one page request on behalf of a logged-in or anonymous browser user.
type Call struct {
	Tenant, Plugin, Path string // Path below the module's page root, starting with /
	User                 string // "" for anonymous (public pages)
	CSRF, Lang, Base     string // forwarded as Balai-CSRF, Balai-Lang, Balai-Page-Base
	Public               bool   // public page area (/{tenant}/{plugin}/...) vs console
}

// Source is what the plugin runtime offers the web layer.
type Source interface {
	// Menu lists the console pages with a MenuEntry of the plugins enabled in tenant whose
	// permission user holds there, sorted by Order then Label.
	Menu(ctx context.Context, tenant, user string) ([]MenuItem, error)
	// Widgets renders each enabled plugin's Widget pages the user may see, in parallel, each
	// bounded to 2 s; a failing widget is left out (and logged).
	Widgets(ctx context.Context, tenant, user, lang string) []Widget
	// PublicWidgets renders each enabled plugin's public Widget pages for an
	// anonymous caller (the tenant's public home in the portal), in
	// parallel, each bounded to 2 s; a failing widget is left out (and
	// logged). Links in them resolve against /{tenant}/{plugin}.
	PublicWidgets(ctx context.Context, tenant, lang string) []Widget
	// ServePage sends r (method, query, body, headers) to the plugin's page and writes the
	// plugin's answer to w unchanged, except: the host's own errors come back as *apierr.Error
	// before anything is written, so the web layer can render them as HTML.
	ServePage(w http.ResponseWriter, r *http.Request, c Call) error
}
