package main

// The seller's side in the console: products (with photos), sellers, the
// order queue and its actions, and the dashboard widget. Every write goes
// through the function the API's handler uses.

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// manageProductsPage lists the village's products, hidden ones too.
func manageProductsPage(w http.ResponseWriter, r *http.Request) {
	title := word(r, "products")
	listed := r.URL.Query().Get("listed")
	if listed != "true" && listed != "false" {
		listed = "all"
	}
	list, err := ui.Answer[sdk.ListOf[productView]](ui.WithQuery(r, "listed", listed), listProducts)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	offset, limit, err := sdk.Page(r)
	if err != nil {
		offset, limit = 0, 50
	}
	table := ui.Table{
		Columns: []ui.Column{{Key: "name", Label: word(r, "name")}, {Key: "category", Label: word(r, "category")},
			{Key: "price", Label: word(r, "price")}, {Key: "stock", Label: word(r, "stock")}, {Key: "listed", Label: word(r, "listed")}},
		Total: int(list.Total), Page: offset/limit + 1, Limit: limit, Empty: word(r, "no_products"),
		Filters: []ui.Field{
			{Name: "q", Label: word(r, "search"), Type: "search", Max: 100},
			{Name: "category", Label: word(r, "category"), Type: "select", Options: categoryOptions()},
			{Name: "listed", Label: word(r, "listed"), Type: "select", Options: []ui.Option{{Value: "true", Label: word(r, "listed_yes")}, {Value: "false", Label: word(r, "listed_no")}}},
		},
	}
	for _, p := range list.Items {
		shown := ui.Badge("success", word(r, "listed_yes"))
		if !p.Listed {
			shown = ui.Badge("neutral", word(r, "listed_no"))
		}
		table.Rows = append(table.Rows, ui.Row{Href: "/manage/products/" + p.ID, Cells: []ui.Node{
			ui.Cell(p.Name), ui.Cell(p.CategoryName), ui.Cell(ui.Rupiah(p.Price)), stockCell(r, p), shown,
		}})
	}
	ui.Render(w, r, ui.Page{Title: title, Actions: []ui.Link{
		{Label: word(r, "new_product"), Href: "/manage/products/new", Primary: true},
		{Label: word(r, "sellers"), Href: "/manage/sellers"},
		{Label: word(r, "orders"), Href: "/manage/orders"},
	}, Body: []ui.Node{table}})
}

var stockCellT = template.Must(template.New("stock").Parse(
	`<form class="mp-stock" method="post" action="{{.Action}}" style="display:flex;flex-wrap:wrap;gap:.25rem;align-items:center">` +
		`<input type="hidden" name="csrf_token" value="{{.CSRF}}">` +
		`<input type="number" name="stock" min="0" max="{{.Max}}" inputmode="numeric" value="{{.Value}}" placeholder="{{.Placeholder}}" aria-label="{{.Label}}" style="width:6rem">` +
		`<button class="b-btn" type="submit">{{.Set}}</button>` +
		`<button class="b-btn" type="submit" name="mode" value="sold_out"{{if .SoldOut}} disabled{{end}}>{{.SoldOutLabel}}</button>` +
		`<button class="b-btn" type="submit" name="mode" value="unlimited"{{if .Unlimited}} disabled{{end}}>{{.UnlimitedLabel}}</button></form>`))

// stockCell is a product's stock in the list, as a small form: set a
// count, or mark the product sold out or unlimited, without opening it
// (a plain form post: no script needed).
func stockCell(r *http.Request, p productView) ui.Node {
	return ui.NodeFunc(func(r *http.Request) template.HTML {
		value, placeholder := strconv.FormatInt(p.Stock, 10), ""
		if p.Unlimited {
			value, placeholder = "", word(r, "unlimited_short")
		}
		return ui.Execute(r, stockCellT, map[string]any{
			"Action": ui.Href(r, "/manage/products/"+p.ID+"/stock"), "CSRF": ui.Info(r).CSRF, "Max": maxStock, "Value": value,
			"Placeholder": placeholder, "Label": word(r, "stock_of") + " " + p.Name, "Set": word(r, "set_stock"),
			"SoldOut": !p.Unlimited && p.Stock == 0, "SoldOutLabel": word(r, "sold_out"),
			"Unlimited": p.Unlimited, "UnlimitedLabel": word(r, "mark_unlimited"),
		})
	})
}

// stockPage sets a product's stock from the list's form through the
// API's editProduct: a count, sold out (0) or unlimited.
func stockPage(w http.ResponseWriter, r *http.Request) {
	back := "/manage/products"
	if err := r.ParseForm(); err != nil {
		ui.Redirect(w, r, back, "error", word(r, "error"))
		return
	}
	var patch productPatch
	switch r.PostForm.Get("mode") {
	case "sold_out":
		zero := int64(0)
		patch.Stock = &zero
	case "unlimited":
		yes := true
		patch.Unlimited = &yes
	default:
		n, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("stock")), 10, 64)
		if err != nil {
			n = -1 // the API names what a stock must be
		}
		patch.Stock = &n
	}
	_, _, err := editProduct(r, patch)
	pageErrors.Back(w, r, back, err, word(r, "stock_saved"))
}

// productFields are the product form's fields; sellers are the choices of
// seller_id (only on a new product: a product stays with its seller).
func productFields(r *http.Request, sellers []ui.Option) []ui.Field {
	var fs []ui.Field
	if sellers != nil {
		fs = append(fs, ui.Field{Name: "seller_id", Label: word(r, "seller"), Type: "select", Options: sellers, Required: true})
	}
	return append(fs,
		ui.Field{Name: "name", Label: word(r, "name"), Required: true, Max: 120},
		ui.Field{Name: "category", Label: word(r, "category"), Type: "select", Options: categoryOptions(), Required: true},
		ui.Field{Name: "price", Label: word(r, "price") + " (Rp)", Type: "number", Required: true, Max: maxPrice},
		ui.Field{Name: "stock", Label: word(r, "stock"), Type: "number", Max: maxStock, Help: word(r, "stock_help")},
		ui.Field{Name: "unlimited", Label: word(r, "unlimited"), Type: "select", Required: true, Options: []ui.Option{{Value: "0", Label: word(r, "unlimited_no")}, {Value: "1", Label: word(r, "unlimited_yes")}}},
		ui.Field{Name: "unit", Label: word(r, "unit"), Max: 20, Placeholder: "bungkus"},
		ui.Field{Name: "description", Label: word(r, "description"), Type: "textarea", Max: 4000},
		ui.Field{Name: "listed", Label: word(r, "listed"), Type: "select", Required: true, Options: []ui.Option{{Value: "1", Label: word(r, "listed_yes")}, {Value: "0", Label: word(r, "listed_no")}}},
	)
}

// sellerOptions are the village's sellers as choices.
func sellerOptions(r *http.Request) ([]ui.Option, error) {
	list, err := ui.Answer[sdk.ListOf[sellerView]](ui.WithQuery(r, "limit", "200", "page", "", "q", "", "kind", "", "village", ""), listSellers)
	if err != nil {
		return nil, err
	}
	opts := []ui.Option{}
	for _, s := range list.Items {
		opts = append(opts, ui.Option{Value: s.ID, Label: s.Name})
	}
	return opts, nil
}

func newProductPage(w http.ResponseWriter, r *http.Request) {
	renderNewProduct(w, r, http.StatusOK, url.Values{"listed": {"1"}, "unlimited": {"0"}}, nil, "")
}

func renderNewProduct(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	title := word(r, "new_product")
	sellers, err := sellerOptions(r)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	if len(sellers) == 0 {
		ui.Render(w, r, ui.Page{Title: title, Status: status, Body: []ui.Node{ui.Text(word(r, "no_sellers")), ui.A(word(r, "new_seller"), "/manage/sellers")}})
		return
	}
	ui.Render(w, r, ui.Page{Title: title, Status: status, Body: []ui.Node{ui.Form{
		Action: "/manage/products", Fields: productFields(r, sellers), Values: values, Errors: errs, Error: msg, Cancel: "/manage/products",
	}}})
}

// createProductPage lists a product with the API's addProduct.
func createProductPage(w http.ResponseWriter, r *http.Request) {
	var in productInput
	err := ui.Decode(r, &in)
	if in.Unlimited != nil && *in.Unlimited {
		in.Stock = nil // the form's count field is left as it was
	}
	submit(w, r, in, err, addProduct, func(v any) string { return "/manage/products/" + v.(productView).ID }, word(r, "created"), renderNewProduct)
}

// submit ends a form's POST: the form decoded into in (err is Decode's)
// is written with write, the API's own function; success redirects to
// next(the answer) with flash, an error shows the form again (show) with
// the values sent.
func submit[T any](w http.ResponseWriter, r *http.Request, in T, err error, write func(*http.Request, T) (int, any, error), next func(any) string, flash string,
	show func(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string)) {
	if err == nil {
		var v any
		if _, v, err = write(r, in); err == nil {
			ui.Redirect(w, r, next(v), "success", flash)
			return
		}
	}
	errs, msg, status := pageErrors.Form(r, err)
	show(w, r, status, r.PostForm, errs, msg)
}

// redirectTo is a redirect to path whatever the answer.
func redirectTo(path string) func(any) string { return func(any) string { return path } }

// editProductPage is a product's form, its photos and the upload form.
func editProductPage(w http.ResponseWriter, r *http.Request) {
	renderEditProduct(w, r, http.StatusOK, nil, nil, "")
}

var managePhotosT = template.Must(template.New("mphotos").Parse(
	`<ul class="b-grid mp-photos" role="list" style="list-style:none;padding:0;margin:1rem 0">{{range .}}<li class="b-card"><img src="{{.URL}}" alt="{{.Alt}}" width="160" height="120" style="max-width:100%;height:auto" loading="lazy" decoding="async">{{.Delete}}</li>{{end}}</ul>`))

func renderEditProduct(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	title := word(r, "edit_product")
	p, err := ui.Answer[productView](r, getProduct)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	if values == nil {
		listed := "0"
		if p.Listed {
			listed = "1"
		}
		values = url.Values{"name": {p.Name}, "category": {p.Category}, "price": {strconv.FormatInt(p.Price, 10)},
			"stock": {strconv.FormatInt(p.Stock, 10)}, "unlimited": {"0"}, "unit": {p.Unit}, "description": {p.Description}, "listed": {listed}}
		if p.Unlimited {
			values.Set("stock", "")
			values.Set("unlimited", "1")
		}
	}
	type photo struct {
		URL, Alt string
		Delete   template.HTML
	}
	var photos []photo
	for i, ph := range p.Photos {
		del := ui.Form{Action: "/manage/products/" + p.ID + "/photos/" + ph.ID + "/delete", Submit: word(r, "delete_photo"), Confirm: word(r, "delete_photo_q")}
		photos = append(photos, photo{URL: ph.ThumbURL, Alt: fmt.Sprintf("%s %d", p.Name, i+1), Delete: del.HTML(r)})
	}
	upload := ui.Upload("/manage/products/"+p.ID+"/photos", "photo", word(r, "photo"), word(r, "photo_help"), "image/jpeg,image/png,image/webp,image/gif")
	upload.Submit = word(r, "upload")
	ui.Render(w, r, ui.Page{Title: title + ": " + p.Name, Status: status, Actions: []ui.Link{{Label: word(r, "back"), Href: "/manage/products"}}, Body: []ui.Node{
		ui.Form{Action: "/manage/products/" + p.ID, Fields: productFields(r, nil), Values: values, Errors: errs, Error: msg},
		ui.Section(word(r, "photos"), ui.HTML(ui.Execute(r, managePhotosT, photos)), upload),
	}})
}

// saveProductPage writes the form with the API's editProduct.
func saveProductPage(w http.ResponseWriter, r *http.Request) {
	var patch productPatch
	err := ui.Decode(r, &patch)
	if patch.Unlimited != nil && *patch.Unlimited {
		patch.Stock = nil // the form's count field is left as it was
	}
	submit(w, r, patch, err, editProduct, redirectTo("/manage/products/"+r.PathValue("id")), word(r, "saved"), renderEditProduct)
}

// uploadPhotoPage stores the form's photo with the API's uploadPhoto (it
// takes the first file part of a multipart body); back to the product
// with the outcome.
func uploadPhotoPage(w http.ResponseWriter, r *http.Request) {
	back := "/manage/products/" + r.PathValue("id")
	_, _, err := uploadPhoto(r)
	pageErrors.Back(w, r, back, err, word(r, "uploaded"))
}

// deletePhotoPage removes a photo after a confirmation.
func deletePhotoPage(w http.ResponseWriter, r *http.Request) {
	back := "/manage/products/" + r.PathValue("id")
	if !ui.Confirm(w, r, ui.Form{Action: "/manage/products/" + r.PathValue("id") + "/photos/" + r.PathValue("file") + "/delete", Confirm: word(r, "delete_photo_q"), Cancel: back}) {
		return
	}
	_, _, err := deletePhoto(r)
	pageErrors.Back(w, r, back, err, word(r, "photo_deleted"))
}

// sellersPage lists the village's sellers with the form to register one.
func sellersPage(w http.ResponseWriter, r *http.Request) {
	renderSellers(w, r, http.StatusOK, nil, nil, "")
}

func renderSellers(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	title := word(r, "sellers")
	list, err := ui.Answer[sdk.ListOf[sellerView]](r, listSellers)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	offset, limit, err := sdk.Page(r)
	if err != nil {
		offset, limit = 0, 50
	}
	table := ui.Table{Columns: []ui.Column{{Key: "name", Label: word(r, "name")}, {Key: "kind", Label: word(r, "kind")},
		{Key: "contact_phone", Label: word(r, "contact_phone")}, {Key: "owner_name", Label: word(r, "owner_name")}},
		Total: int(list.Total), Page: offset/limit + 1, Limit: limit, Empty: word(r, "no_sellers")}
	for _, s := range list.Items {
		table.Rows = append(table.Rows, ui.Row{Href: "/manage/sellers/" + s.ID, Cells: []ui.Node{ui.Cell(s.Name), ui.Cell(word(r, "kind_"+s.Kind)), ui.Cell(s.ContactPhone), ui.Cell(s.OwnerName)}})
	}
	form := ui.Form{Action: "/manage/sellers", Values: values, Errors: errs, Error: msg, Fields: sellerFields(r)}
	ui.Render(w, r, ui.Page{Title: title, Status: status, Actions: []ui.Link{{Label: word(r, "products"), Href: "/manage/products"}},
		Body: []ui.Node{table, ui.Section(word(r, "new_seller"), form)}})
}

// sellerFields are the seller form's fields.
func sellerFields(r *http.Request) []ui.Field {
	return []ui.Field{
		{Name: "name", Label: word(r, "name"), Required: true, Max: 120},
		{Name: "kind", Label: word(r, "kind"), Type: "select", Required: true, Options: []ui.Option{{Value: KindUMKM, Label: word(r, "kind_umkm")}, {Value: KindBUMDes, Label: word(r, "kind_bumdes")}}},
		{Name: "contact_phone", Label: word(r, "contact_phone"), Type: "tel", Max: 20},
		{Name: "owner_name", Label: word(r, "owner_name"), Max: 120},
		{Name: "address", Label: word(r, "seller_address"), Type: "textarea", Max: 300},
		{Name: "description", Label: word(r, "description"), Type: "textarea", Max: 2000},
	}
}

// editSellerPage is a seller's form. The owner's name shows only to those
// who may see it (the API's view); the form sends only what is filled in,
// so a name hidden from the user is never written back.
func editSellerPage(w http.ResponseWriter, r *http.Request) {
	renderEditSeller(w, r, http.StatusOK, nil, nil, "")
}

func renderEditSeller(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	title := word(r, "edit_seller")
	s, err := ui.Answer[sellerView](r, getSeller)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	if values == nil {
		values = url.Values{"name": {s.Name}, "kind": {s.Kind}, "contact_phone": {s.ContactPhone}, "owner_name": {s.OwnerName},
			"address": {s.Address}, "description": {s.Description}}
	}
	ui.Render(w, r, ui.Page{Title: title + ": " + s.Name, Status: status, Actions: []ui.Link{{Label: word(r, "back"), Href: "/manage/sellers"}}, Body: []ui.Node{
		ui.Muted(word(r, "seller_help")),
		ui.Form{Action: "/manage/sellers/" + s.ID, Fields: sellerFields(r), Values: values, Errors: errs, Error: msg, Cancel: "/manage/sellers"},
	}})
}

// saveSellerPage writes the form with the API's editSeller.
func saveSellerPage(w http.ResponseWriter, r *http.Request) {
	var patch sellerPatch
	err := ui.Decode(r, &patch)
	submit(w, r, patch, err, editSeller, redirectTo("/manage/sellers"), word(r, "seller_updated"), renderEditSeller)
}

// createSellerPage registers a seller with the API's addSeller.
func createSellerPage(w http.ResponseWriter, r *http.Request) {
	var s Seller
	err := ui.Decode(r, &s)
	submit(w, r, s, err, addSeller, redirectTo("/manage/sellers"), word(r, "seller_saved"), renderSellers)
}

// ordersPage is the order queue by state (new orders first when no state
// is asked), newest first; buyers masked as the API masks them.
func ordersPage(w http.ResponseWriter, r *http.Request) {
	title := word(r, "orders")
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = StateNew
		if q.Get("number") != "" || q.Get("phone") != "" {
			state = "all" // a search looks in every state
		}
	}
	// A search by phone is listOrders' own: refused (403) without the
	// right to see phones, and audited.
	lr := ui.WithQuery(r, "state", state)
	if state == "all" {
		lr = ui.WithQuery(r, "state", "")
	}
	list, err := ui.Answer[sdk.ListOf[orderView]](lr, listOrders)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	offset, limit, err := sdk.Page(r)
	if err != nil {
		offset, limit = 0, 50
	}
	var tabs []ui.Link
	for _, s := range append(append([]string{}, states...), "all") {
		tabs = append(tabs, ui.Link{Label: word(r, "st_"+s), Href: "/manage/orders?state=" + s, Primary: s == state})
	}
	table := ui.Table{Columns: []ui.Column{{Key: "number", Label: word(r, "number")}, {Key: "placed_at", Label: word(r, "date")},
		{Key: "buyer", Label: word(r, "buyer")}, {Key: "phone", Label: word(r, "phone")}, {Key: "total", Label: word(r, "total")}, {Key: "state", Label: word(r, "state")}},
		Total: int(list.Total), Page: offset/limit + 1, Limit: limit, Empty: word(r, "no_orders"), Caption: word(r, "st_"+state),
		Filters: []ui.Field{{Name: "number", Label: word(r, "number"), Type: "search", Max: 20, Placeholder: "261201-7K3QX"}}}
	if sdk.From(r).Can(permOrdersPersonal) {
		table.Filters = append(table.Filters, ui.Field{Name: "phone", Label: word(r, "phone"), Type: "tel", Max: 20})
	}
	if q.Has("state") {
		table.Filters = append(table.Filters, ui.Field{Name: "state", Type: "hidden"})
	}
	for _, o := range list.Items {
		table.Rows = append(table.Rows, ui.Row{Href: "/manage/orders/" + o.Code, Cells: []ui.Node{
			ui.Cell(o.Number), ui.Cell(ui.DateTime(r, o.PlacedAt)), ui.Cell(o.BuyerName), ui.Cell(o.Phone), ui.Cell(ui.Rupiah(o.Total)), stateBadge(r, o.State),
		}})
	}
	ui.Render(w, r, ui.Page{Title: title, Actions: tabs, Body: []ui.Node{table}})
}

// actions are the order page's buttons, in the order of an order's life.
var actions = []string{"confirm", "ship", "complete", "cancel"}

// manageOrderPage is an order for its seller, with the actions its state
// allows to those who manage orders.
func manageOrderPage(w http.ResponseWriter, r *http.Request) {
	o, err := ui.Answer[orderView](r, getOrder)
	if err != nil {
		pageErrors.Fail(w, r, word(r, "order"), err)
		return
	}
	body := orderBody(r, o)
	if o.Masked {
		body = append(body, ui.Muted(word(r, "masked")))
	}
	if sdk.From(r).Can(permOrdersMgr) {
		for _, a := range actions {
			if _, err := nextState(o.State, a); err != nil {
				continue
			}
			f := ui.Form{Action: "/manage/orders/" + o.Code + "/" + a, Submit: word(r, "act_"+a)}
			if a == "cancel" {
				f.Confirm = word(r, "cancel_q")
				f.Fields = []ui.Field{{Name: "reason", Label: word(r, "reason"), Type: "textarea", Max: 300}}
			}
			body = append(body, f)
		}
	}
	ui.Render(w, r, ui.Page{Title: word(r, "order") + " " + o.Number, Actions: []ui.Link{{Label: word(r, "back"), Href: "/manage/orders?state=" + o.State}}, Body: body})
}

// orderActionPage moves an order on with the API's move; a cancel asks
// for a confirmation first.
func orderActionPage(w http.ResponseWriter, r *http.Request) {
	action, code := r.PathValue("action"), r.PathValue("code")
	back := "/manage/orders/" + code
	if _, ok := transitions[action]; !ok {
		pageErrors.Fail(w, r, word(r, "order"), sdk.Errorf(http.StatusNotFound, sdk.CodeNotFound, "no action %s", action))
		return
	}
	if action == "cancel" && !ui.Confirm(w, r, ui.Form{Action: back + "/cancel", Confirm: word(r, "cancel_q"), Cancel: back}) {
		return
	}
	if err := r.ParseForm(); err != nil {
		pageErrors.Fail(w, r, word(r, "order"), sdk.Errorf(http.StatusBadRequest, sdk.CodeInvalid, "reading the form: %v", err))
		return
	}
	_, _, err := move(r, action, r.PostForm.Get("reason"))
	pageErrors.Back(w, r, back, err, word(r, "moved_"+action))
}

// ordersWidget is the dashboard card: the new orders waiting.
func ordersWidget(w http.ResponseWriter, r *http.Request) {
	list, err := ui.Answer[sdk.ListOf[orderView]](ui.WithQuery(r, "state", StateNew, "limit", "1", "page", "", "phone", "", "number", ""), listOrders)
	if err != nil {
		sdk.Logf(r.Context(), "error", "counting new orders: %v", err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	ui.Render(w, r, ui.Page{Title: word(r, "orders"), Body: []ui.Node{
		ui.Text(fmt.Sprintf(word(r, "waiting"), ui.Number(uint64(list.Total)))),
		ui.A(word(r, "open_orders"), "/manage/orders?state="+StateNew),
	}})
}
