package plugin

import (
	"net/http"

	"github.com/gorilla/mux"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/api"
	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/auth"
	"github.com/balaidesa/balai/core/modules"
	"github.com/balaidesa/balai/core/rbac"
	"github.com/balaidesa/balai/core/tenancy"
)

// Mount adds the plugin routes and the plugin administration endpoints to
// the API server.
func (rt *Runtime) Mount(s *api.Server) {
	authenticate := func(r *http.Request) (*auth.Identity, error) {
		id, err := s.Authenticate(r)
		if err != nil {
			return nil, err
		}
		api.NoteUser(r.Context(), id.Username)
		return id, nil
	}
	s.MountPrefix(Prefix, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt.ServeHTTP(w, r, authenticate)
	}))
	a := s.AdminRouter()
	a.Handle("/plugins", api.Methods{http.MethodGet: s.Authed(rt.listPlugins)})
	a.Handle("/tenants/{code}/modules", api.Methods{http.MethodGet: s.Authed(rt.listModules)})
	a.Handle("/tenants/{code}/modules/{plugin}", api.Methods{http.MethodPut: s.Authed(rt.setModule), http.MethodDelete: s.Authed(rt.clearModule)})
}

func (rt *Runtime) listPlugins(w http.ResponseWriter, r *http.Request) {
	c := api.Caller(r.Context())
	scopes, err := rt.h.Authz.LimitedScopes(rt.h.DB.WithContext(r.Context()), c.Username, c.Limit, rbac.PluginsRead)
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	if len(scopes) == 0 {
		api.WriteError(w, r, apierr.Forbidden("you do not have %s in any tenant", rbac.PluginsRead))
		return
	}
	items := []Info{}
	for _, in := range rt.Instances() {
		items = append(items, in.Info())
	}
	api.WriteJSON(w, http.StatusOK, api.List[Info]{Items: items, Total: int64(len(items))})
}

// ModuleView is a plugin's enablement in a tenant.
type ModuleView struct {
	Plugin  string `json:"plugin"`
	Tenant  string `json:"tenant"`
	Enabled bool   `json:"enabled"`
	// From is the tenant whose setting decides; Explicit is true when that
	// is this tenant.
	From     string `json:"from,omitempty"`
	Explicit bool   `json:"explicit"`
}

func (rt *Runtime) moduleView(tenant, plugin string) ModuleView {
	res := rt.modules.Resolve(tenant, plugin)
	return ModuleView{Plugin: plugin, Tenant: tenant, Enabled: res.Enabled, From: res.From, Explicit: res.From == tenant}
}

func (rt *Runtime) tenantFromPath(r *http.Request, perm string) (string, error) {
	code := mux.Vars(r)["code"]
	if _, err := rt.tenantLevel(r.Context(), code); err != nil {
		return "", err
	}
	c := api.Caller(r.Context())
	return code, rt.h.Authz.Authorize(c.Username, c.Limit, code, perm)
}

func (rt *Runtime) listModules(w http.ResponseWriter, r *http.Request) {
	code, err := rt.tenantFromPath(r, rbac.ModulesRead)
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	items := []ModuleView{}
	for _, in := range rt.Instances() {
		if id := in.ID(); id != "" {
			items = append(items, rt.moduleView(code, id))
		}
	}
	api.WriteJSON(w, http.StatusOK, api.List[ModuleView]{Items: items, Total: int64(len(items))})
}

type setModuleRequest struct {
	Enabled *bool `json:"enabled"`
}

func (rt *Runtime) setModule(w http.ResponseWriter, r *http.Request) {
	code, err := rt.tenantFromPath(r, rbac.ModulesWrite)
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	var req setModuleRequest
	if err := api.Decode(r, &req); err != nil {
		api.WriteError(w, r, err)
		return
	}
	if req.Enabled == nil {
		api.WriteError(w, r, apierr.Invalid("invalid_enabled", `give {"enabled": true} or {"enabled": false}`))
		return
	}
	rt.changeModule(w, r, code, req.Enabled)
}

func (rt *Runtime) clearModule(w http.ResponseWriter, r *http.Request) {
	code, err := rt.tenantFromPath(r, rbac.ModulesWrite)
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	rt.changeModule(w, r, code, nil)
}

// changeModule sets (or, with nil, clears) a tenant's setting for a plugin.
func (rt *Runtime) changeModule(w http.ResponseWriter, r *http.Request, code string, enabled *bool) {
	plugin := mux.Vars(r)["plugin"]
	if _, ok := rt.Get(plugin); !ok {
		api.WriteError(w, r, apierr.NotFound("plugin_not_found", "no plugin %s is loaded", plugin))
		return
	}
	c := api.Caller(r.Context())
	who := audit.Who{Actor: c.Username, Source: api.ClientAddr(r), RequestID: api.RequestID(r.Context())}
	manages := func(tenant string) bool { return rt.h.Authz.Allowed(c.Username, c.Limit, tenant, rbac.ModulesWrite) }
	err := rt.h.DB.WithContext(r.Context()).Transaction(func(tx *gorm.DB) error {
		if err := GuardModule(tx, manages, code, plugin); err != nil {
			return err
		}
		return SetModule(tx, who, code, plugin, enabled)
	})
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	if err := rt.h.Authz.Reload(); err != nil {
		api.WriteError(w, r, err)
		return
	}
	api.WriteJSON(w, http.StatusOK, rt.moduleView(code, plugin))
}

// CodeModuleSetAbove is the error code (403) of a module switch refused
// because a tenant above decided on that module; see GuardModule.
const CodeModuleSetAbove = "module_set_above"

// GuardModule is the regency's say over its villages' modules (PRODUCT.md:
// regency operators "enable only the modules they need, for the whole
// regency or for some villages"). When a tenant above tenant set plugin
// explicitly (on or off), only a caller who manages modules at that tenant
// (manages reports rbac.ModulesWrite there, which a superadmin holds
// everywhere) may change tenant's own switch: otherwise a village admin
// could switch off the regency's evaluation and leave its roll-ups. Every
// change is refused, setting on, setting off or clearing (enabled nil): a
// setting agreeing with the decision above would outlast the ancestor
// changing its mind, and clearing would undo what the ancestor's admin set
// for this tenant alone (evaluation off regency-wide but on for one
// village). Where no tenant above decided, tenant's own admin decides
// freely, so a village may switch on a module nobody above chose and off
// again. The refusal is 403 module_set_above naming the deciding tenant.
// The operator CLI does not call this: it acts for the deployment with
// direct database access.
func GuardModule(tx *gorm.DB, manages func(tenant string) bool, tenant, plugin string) error {
	above, err := modules.DecidedAbove(tx, tenant, plugin)
	if err != nil || above == nil || manages(above.Tenant) {
		return err
	}
	name := TenantLabel(tx, above.Tenant)
	state := "off"
	if above.Enabled {
		state = "on"
	}
	return apierr.New(http.StatusForbidden, CodeModuleSetAbove,
		"module %s is switched %s for %s by %s; only someone who manages modules in %s can change it here",
		plugin, state, tenant, name, name)
}

// TenantLabel names a tenant for a person, "Kampar (14.01)", or by its code
// alone when it cannot be read.
func TenantLabel(db *gorm.DB, code string) string {
	if t, err := tenancy.Get(db, code); err == nil {
		return t.Name + " (" + t.Code + ")"
	}
	return code
}

// SetModule records a module setting with its audit entry, in tx; the CLI
// uses it too. enabled nil clears the setting. It does not apply
// GuardModule: callers acting for a user (API, console) do.
func SetModule(tx *gorm.DB, who audit.Who, tenant, plugin string, enabled *bool) error {
	if _, err := tenancy.Get(tx, tenant); err != nil {
		return err
	}
	action := "module.clear"
	var err error
	if enabled == nil {
		err = modules.Clear(tx, tenant, plugin)
	} else {
		action = "module.disable"
		if *enabled {
			action = "module.enable"
		}
		err = modules.Set(tx, tenant, plugin, *enabled)
	}
	if err != nil {
		return err
	}
	if err := rbac.Bump(tx); err != nil {
		return err
	}
	return audit.Record(tx, who, tenant, action, plugin, nil)
}
