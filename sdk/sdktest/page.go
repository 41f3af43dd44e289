package sdktest

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/core/webpage"
	"github.com/balaidesa/balai/sdk"
)

// CSRFToken is the token the kit hands page handlers (Balai-CSRF) and puts
// in the forms it posts. The kit calls the plugin runtime the way the
// host's web layer does after its own checks (session, CSRF), so a page
// handler never checks the token itself; a test can still see that a
// rendered form carries it.
const CSRFToken = "sdktest-csrf-token"

// PageResponse is a page's answer as the host's web layer gets it, before
// it wraps a fragment in its shell.
type PageResponse struct {
	// Status is the plugin's status, or the host's for a refused request
	// (403 without the permission, 404 module_not_enabled, ...).
	Status int
	Header http.Header
	// Fragment reports whether the answer is an HTML fragment for the
	// shell (header Balai-Page: fragment); Title is its decoded title.
	Fragment bool
	Title    string
	// HTML is the body as text.
	HTML string
	// Location is a redirect's target as the plugin sent it (page-root
	// based: "/console/{tenant}/m/{plugin}/notes"); Flash its message,
	// decoded, and FlashKind the message's kind.
	Location, Flash, FlashKind string
	// Code is the host's error code when the host refused the request.
	Code string
}

// Page sends method to the plugin's console page path (below its page
// root, with an optional query: "/notes?page=2") in tenant, as the
// client's user, through the same runtime method the host's web layer
// uses (webpage.Source.ServePage), with the same checks as an API call.
// form, when not nil, is sent as an application/x-www-form-urlencoded
// body with the kit's CSRF token added.
func (c *Client) Page(method, tenant, path string, form url.Values) *PageResponse {
	c.h.t.Helper()
	return c.page(method, tenant, path, form, false)
}

// GetPage is Page with GET.
func (c *Client) GetPage(tenant, path string) *PageResponse {
	c.h.t.Helper()
	return c.page(http.MethodGet, tenant, path, nil, false)
}

// PostForm is Page with POST and form.
func (c *Client) PostForm(tenant, path string, form url.Values) *PageResponse {
	c.h.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	return c.page(http.MethodPost, tenant, path, form, false)
}

// PublicPage is Page for a public page, at /{tenant}/{plugin}{path}.
func (c *Client) PublicPage(method, tenant, path string, form url.Values) *PageResponse {
	c.h.t.Helper()
	return c.page(method, tenant, path, form, true)
}

func (c *Client) page(method, tenant, path string, form url.Values, public bool) *PageResponse {
	c.h.t.Helper()
	var body io.Reader
	if form != nil {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set(sdk.CSRFField, CSRFToken)
		body = strings.NewReader(f.Encode())
	}
	p, q, _ := strings.Cut(path, "?")
	base := "/console/" + tenant + "/m/" + c.h.Plugin
	if public {
		base = "/" + tenant + "/" + c.h.Plugin
	}
	target := base + p
	if q != "" {
		target += "?" + q
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	rec := httptest.NewRecorder()
	err := c.h.rt.ServePage(rec, req, webpage.Call{
		Tenant: tenant, Plugin: c.h.Plugin, Path: p, User: c.Username,
		CSRF: CSRFToken, Lang: c.Lang, Base: base, Public: public,
	})
	if err != nil {
		var e *apierr.Error
		if !errors.As(err, &e) {
			c.h.t.Fatalf("sdktest: page %s %s: %v", method, path, err)
		}
		return &PageResponse{Status: e.Status, Header: http.Header{}, Code: e.Code, HTML: e.Message}
	}
	res := &PageResponse{Status: rec.Code, Header: rec.Header(), HTML: rec.Body.String(), Location: rec.Header().Get("Location")}
	res.Fragment = res.Header.Get(sdk.PageHeader) == "fragment"
	res.Title, _ = url.PathUnescape(res.Header.Get(sdk.PageTitleHeader))
	if kind, msg, ok := strings.Cut(res.Header.Get(sdk.FlashHeader), ";"); ok {
		res.FlashKind = kind
		res.Flash, _ = url.PathUnescape(msg)
	}
	return res
}

// Menu is the console navigation the host shows user in tenant: the
// pages with a menu entry of the plugins enabled there that the user may
// open.
func (h *Host) Menu(tenant, user string) []webpage.MenuItem {
	h.t.Helper()
	items, err := h.rt.Menu(h.t.Context(), tenant, user)
	if err != nil {
		h.t.Fatalf("sdktest: menu of %s in %s: %v", user, tenant, err)
	}
	return items
}

// Widgets are the dashboard fragments the host shows user in tenant.
func (h *Host) Widgets(tenant, user string) []webpage.Widget {
	return h.rt.Widgets(h.t.Context(), tenant, user, "id")
}

// PublicWidgets are the fragments the portal shows anyone on tenant's
// public home (public widget pages), in Bahasa Indonesia.
func (h *Host) PublicWidgets(tenant string) []webpage.Widget {
	return h.rt.PublicWidgets(h.t.Context(), tenant, "id")
}
