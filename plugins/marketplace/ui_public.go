package main

// The citizens' mall: the catalogue (a village's or a whole regency's),
// a product's page, the basket, checkout and the order's tracking page.
// Pages are small for a weak signal: no inline images, thumbnails load
// lazily from the plugin's public photo route, 12 products a page.
//
// The basket needs no cookie and no JavaScript: it lives in the query and
// in the checkout form as one value b ("id:qty,id:qty"), carried from page
// to page within a village (an order belongs to one village).

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// catalogLimit is the products on one catalogue page.
const catalogLimit = 12

var cardsT = template.Must(template.New("cards").Parse(
	`<ul class="b-grid mp-cards" role="list" style="list-style:none;padding:0;margin:1rem 0">{{range .}}<li class="b-card">` +
		`{{if .Thumb}}<img src="{{.Thumb}}" alt="" width="160" height="120" style="max-width:100%;height:auto" loading="lazy" decoding="async">{{end}}` +
		`<h2><a href="{{.Href}}">{{.Name}}</a></h2><p><strong>{{.Price}}</strong>{{if .Unit}} / {{.Unit}}{{end}}</p>` +
		`<p class="b-muted">{{.Seller}} · {{.Village}}</p>{{if .Out}}<p>{{.Out}}</p>{{end}}</li>{{end}}</ul>`))

type card struct {
	Thumb, Href, Name, Price, Unit, Seller, Village, Out string
}

// catalogPage is the mall: the products of the tenant's villages with
// search, category, village and sort, 12 a page.
func catalogPage(w http.ResponseWriter, r *http.Request) {
	title := word(r, "mall")
	pl, err := loadPlaces(r)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	place, err := placeFilters(r, pl)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	q := r.URL.Query()
	q.Set("district", place.district)
	q.Set("village", place.village)
	lr := ui.WithQuery(r, "limit", strconv.Itoa(catalogLimit), "listed", "", "b", "", "district", place.district, "village", place.village)
	list, err := ui.Answer[sdk.ListOf[productView]](lr, listProducts)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	filters := []ui.Field{
		{Name: "q", Label: word(r, "search"), Type: "search", Max: 100},
		{Name: "category", Label: word(r, "category"), Type: "select", Options: categoryOptions()},
	}
	filters = append(filters, place.fields...)
	filters = append(filters, ui.Field{Name: "sort", Label: word(r, "sort"), Type: "select", Options: []ui.Option{
		{Value: "newest", Label: word(r, "sort_newest")}, {Value: "price", Label: word(r, "sort_price")},
		{Value: "-price", Label: word(r, "sort_-price")}, {Value: "name", Label: word(r, "sort_name")},
	}})
	if b := q.Get("b"); b != "" {
		filters = append(filters, ui.Field{Name: "b", Type: "hidden"})
	}
	form := ui.Form{Method: "GET", Submit: word(r, "find"), Fields: filters, Values: q}
	cards := make([]card, 0, len(list.Items))
	basket := parseBasket(q.Get("b"))
	for _, p := range list.Items {
		href := ui.TenantHref(r, p.Village.Code, "/products/"+p.ID)
		if len(basket) > 0 && p.Village.Code == sdk.From(r).Tenant {
			href += "?" + basketQuery(basket)
		}
		c := card{Href: href, Name: p.Name, Price: ui.Rupiah(p.Price), Unit: p.Unit, Seller: p.Seller.Name, Village: p.Village.Name}
		if len(p.Photos) > 0 {
			c.Thumb = p.Photos[0].ThumbURL
		}
		if p.Stock < 1 {
			c.Out = word(r, "out_of_stock")
		}
		cards = append(cards, c)
	}
	body := []ui.Node{form}
	if len(cards) == 0 {
		body = append(body, ui.HTML(`<p class="b-empty">`+template.HTML(template.HTMLEscapeString(word(r, "no_products")))+`</p>`))
	} else {
		body = append(body, ui.HTML(ui.Execute(r, cardsT, cards)))
	}
	// The table's pager, without rows: prev and next keep the query.
	offset, _, _ := sdk.Page(lr)
	body = append(body, ui.Pager{Total: int(list.Total), Page: offset/catalogLimit + 1, Limit: catalogLimit, Label: word(r, "mall")})
	actions := []ui.Link{{Label: word(r, "track"), Href: "/track"}}
	if len(basket) > 0 {
		actions = append(actions, ui.Link{Label: word(r, "basket") + " (" + strconv.Itoa(len(basket)) + ")", Href: "/basket?" + basketQuery(basket), Primary: true})
	}
	ui.Render(w, r, ui.Page{Title: title, Actions: actions, Body: body})
}

// placeFilter is where the catalogue looks: the sub-district and village
// chosen, and the form fields that choose them.
type placeFilter struct {
	district, village string
	fields            []ui.Field
}

// placeFilters are the catalogue's place fields, short for a regency of
// 250 villages and without script: at a regency (or province) a select of
// its sub-districts (kecamatan, about 20), and once one is chosen (the
// form sent) a select of that sub-district's villages; at a sub-district
// the select of its villages. A village chosen outside the sub-district
// chosen is dropped (the citizen changed the sub-district).
func placeFilters(r *http.Request, pl *places) (placeFilter, error) {
	req := sdk.From(r)
	q := r.URL.Query()
	f := placeFilter{district: q.Get("district"), village: q.Get("village")}
	if req.Level == sdk.Village || len(pl.names) < 2 {
		return placeFilter{}, nil
	}
	if req.Level == sdk.District {
		f.district = ""
		if _, ok := pl.names[f.village]; !ok {
			f.village = ""
		}
		f.fields = append(f.fields, ui.Field{Name: "village", Label: word(r, "village"), Type: "select", Options: villageOptions(pl, pl.inDistrict(req.Tenant))})
		return f, nil
	}
	if f.district == "" && f.village != "" {
		if i := strings.LastIndexByte(f.village, '.'); i > 0 {
			f.district = f.village[:i]
		}
	}
	districts, err := req.TenantsBelow(r.Context(), sdk.District)
	if err != nil {
		return f, err
	}
	var opts []ui.Option
	known := false
	for _, d := range districts {
		if n := len(pl.inDistrict(d.Code)); n > 0 {
			opts = append(opts, ui.Option{Value: d.Code, Label: d.Name + " (" + strconv.Itoa(n) + ")"})
			known = known || d.Code == f.district
		}
	}
	slices.SortFunc(opts, func(a, b ui.Option) int { return strings.Compare(a.Label, b.Label) })
	if !known {
		f.district, f.village = "", ""
	}
	f.fields = append(f.fields, ui.Field{Name: "district", Label: word(r, "district"), Type: "select", Options: opts, Help: word(r, "district_help")})
	if f.district != "" {
		codes := pl.inDistrict(f.district)
		if !slices.Contains(codes, f.village) {
			f.village = ""
		}
		f.fields = append(f.fields, ui.Field{Name: "village", Label: word(r, "village"), Type: "select", Options: villageOptions(pl, codes)})
	}
	return f, nil
}

// villageOptions are the villages of codes as choices, by name.
func villageOptions(pl *places, codes []string) []ui.Option {
	opts := make([]ui.Option, 0, len(codes))
	for _, c := range codes {
		opts = append(opts, ui.Option{Value: c, Label: pl.names[c]})
	}
	slices.SortFunc(opts, func(a, b ui.Option) int { return strings.Compare(a.Label, b.Label) })
	return opts
}

var photosT = template.Must(template.New("photos").Parse(
	`<ul class="b-grid mp-photos" role="list" style="list-style:none;padding:0;margin:1rem 0">{{range .}}<li><a href="{{.URL}}"><img src="{{.Thumb}}" alt="{{.Alt}}" width="240" height="180" style="max-width:100%;height:auto" loading="lazy" decoding="async"></a></li>{{end}}</ul>`))

// productPage is a product with its photos and the form that puts it in
// the basket.
func productPage(w http.ResponseWriter, r *http.Request) {
	p, err := ui.Answer[productView](r, getProduct)
	if err != nil {
		pageErrors.Fail(w, r, word(r, "not_found"), err)
		return
	}
	body := []ui.Node{}
	if len(p.Photos) > 0 {
		type ph struct{ URL, Thumb, Alt string }
		var phs []ph
		for i, x := range p.Photos {
			phs = append(phs, ph{URL: x.URL, Thumb: x.ThumbURL, Alt: p.Name + " " + strconv.Itoa(i+1)})
		}
		body = append(body, ui.HTML(ui.Execute(r, photosT, phs)))
	}
	stock := strconv.FormatInt(p.Stock, 10)
	if p.Unit != "" {
		stock += " " + p.Unit
	}
	if p.Unlimited {
		stock = word(r, "in_stock")
	}
	body = append(body, ui.DefinitionList(
		[2]string{word(r, "price"), ui.Rupiah(p.Price)},
		[2]string{word(r, "stock"), stock},
		[2]string{word(r, "category"), p.CategoryName},
		[2]string{word(r, "seller"), p.Seller.Name},
		[2]string{word(r, "village"), p.Village.Name},
	))
	if p.Description != "" {
		body = append(body, ui.Text(p.Description))
	}
	if p.Village.Code != sdk.From(r).Tenant {
		// Seen from a regency: the basket is the village's.
		body = append(body, ui.HTML(template.HTML(`<p><a class="b-btn b-btn-primary" href="`+template.HTMLEscapeString(ui.TenantHref(r, p.Village.Code, "/products/"+p.ID))+`">`+template.HTMLEscapeString(word(r, "add_basket"))+`</a></p>`)))
	} else if p.Listed && p.Stock > 0 {
		vals := r.URL.Query()
		vals.Set("add", p.ID)
		if vals.Get("qty") == "" {
			vals.Set("qty", "1")
		}
		body = append(body, ui.Form{Method: "GET", Action: "/basket", Submit: word(r, "add_basket"), Values: vals, Fields: []ui.Field{
			{Name: "b", Type: "hidden"}, {Name: "add", Type: "hidden"},
			{Name: "qty", Label: word(r, "qty"), Type: "number", Required: true, Max: int(min(p.Stock, maxQty))},
		}})
	} else {
		body = append(body, ui.Badge("neutral", word(r, "out_of_stock")))
	}
	back := "/"
	if b := r.URL.Query().Get("b"); b != "" {
		back = "/?" + basketQuery(parseBasket(b))
	}
	// A link shared on WhatsApp shows the product: its first photo (the
	// 320 px thumbnail, small enough for the card) and what it costs where.
	page := ui.Page{Title: p.Name, Actions: []ui.Link{{Label: word(r, "continue"), Href: back}}, Body: body,
		Description: productCard(r, &p)}
	if len(p.Photos) > 0 {
		page.Image = p.Photos[0].ThumbURL
	}
	ui.Render(w, r, page)
}

// productCard is a product's line for a link card: price, seller, village
// and the start of its description, at most about 200 characters.
func productCard(r *http.Request, p *productView) string {
	s := ui.Rupiah(p.Price)
	if p.Unit != "" {
		s += " / " + p.Unit
	}
	s += " · " + p.Seller.Name + ", " + p.Village.Name
	if d := strings.Join(strings.Fields(p.Description), " "); d != "" {
		s += ". " + d
	}
	if rs := []rune(s); len(rs) > 200 {
		s = strings.TrimSpace(string(rs[:199])) + "…"
	}
	return s
}

// parseBasket reads a basket "id:qty,id:qty": ids are record ids (no
// commas or colons), quantities whole numbers; anything else is dropped.
// It does not judge quantities or stock: placing the order does.
func parseBasket(s string) []itemLine {
	var out []itemLine
	for part := range strings.SplitSeq(s, ",") {
		id, qs, ok := strings.Cut(part, ":")
		n, err := strconv.ParseInt(qs, 10, 64)
		if !ok || err != nil || id == "" || len(id) > 64 || n < 1 || len(out) >= maxLines {
			continue
		}
		if i := slices.IndexFunc(out, func(l itemLine) bool { return l.ProductID == id }); i >= 0 {
			out[i].Qty += n
			continue
		}
		out = append(out, itemLine{ProductID: id, Qty: n})
	}
	return out
}

// formatBasket writes lines back as parseBasket reads them.
func formatBasket(lines []itemLine) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = l.ProductID + ":" + strconv.FormatInt(l.Qty, 10)
	}
	return strings.Join(parts, ",")
}

// basketQuery is the query that carries lines to the next page.
func basketQuery(lines []itemLine) string {
	return url.Values{"b": {formatBasket(lines)}}.Encode()
}

// basketFrom is the basket of a request: b, with add (qty of it) added
// and remove removed.
func basketFrom(r *http.Request) []itemLine {
	q := r.URL.Query()
	lines := parseBasket(q.Get("b"))
	if add := q.Get("add"); add != "" && !strings.ContainsAny(add, ",:") {
		qty := q.Get("qty")
		if n, err := strconv.ParseInt(strings.TrimSpace(qty), 10, 64); err != nil || n < 1 {
			qty = "1"
		}
		lines = parseBasket(formatBasket(lines) + "," + add + ":" + strings.TrimSpace(qty))
	}
	if rm := q.Get("remove"); rm != "" {
		lines = slices.DeleteFunc(lines, func(l itemLine) bool { return l.ProductID == rm })
	}
	return lines
}

// basketPage shows the basket and the checkout form.
func basketPage(w http.ResponseWriter, r *http.Request) {
	lines := basketFrom(r)
	renderBasket(w, r, lines, http.StatusOK, nil, nil, "")
}

// checkoutPage places the order with the API's code: on success to the
// order's tracking page; else the basket again with the errors.
func checkoutPage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		pageErrors.Fail(w, r, word(r, "basket"), sdk.Errorf(http.StatusBadRequest, sdk.CodeInvalid, "reading the form: %v", err))
		return
	}
	lines := parseBasket(r.PostForm.Get("b"))
	in := orderInput{BuyerName: r.PostForm.Get("buyer_name"), Phone: r.PostForm.Get("phone"), Address: r.PostForm.Get("address"), Items: lines}
	_, v, err := place(r, in)
	if err != nil {
		errs, msg, status := pageErrors.Form(r, err)
		renderBasket(w, r, lines, status, r.PostForm, errs, msg)
		return
	}
	o := v.(orderView)
	ui.Redirect(w, r, "/orders/"+o.Code, "success", word(r, "placed"))
}

var basketT = template.Must(template.New("basket").Parse(
	`<div class="b-table-wrap"><table class="b-table"><caption>{{.Caption}}</caption><thead><tr>` +
		`<th scope="col">{{.W.name}}</th><th scope="col">{{.W.price}}</th><th scope="col">{{.W.qty}}</th><th scope="col">{{.W.subtotal}}</th><th scope="col"></th></tr></thead><tbody>` +
		`{{range .Lines}}<tr><td>{{if .Href}}<a href="{{.Href}}">{{.Name}}</a>{{else}}{{.Name}}{{end}}{{if .Note}} <span class="b-badge b-badge-warning">{{.Note}}</span>{{end}}</td>` +
		`<td>{{.Price}}</td><td>{{.Qty}}</td><td>{{.Subtotal}}</td><td><a href="{{.Remove}}">{{$.W.remove}}</a></td></tr>{{end}}` +
		`</tbody><tfoot><tr><th scope="row" colspan="3">{{.W.total}}</th><td><strong>{{.Total}}</strong></td><td></td></tr></tfoot></table></div>`))

type basketLine struct {
	Href, Name, Note, Price, Qty, Subtotal, Remove string
}

// renderBasket shows lines with their current prices and the checkout
// form (values and errors after a refused checkout).
func renderBasket(w http.ResponseWriter, r *http.Request, lines []itemLine, status int, values map[string][]string, errs map[string]string, msg string) {
	req := sdk.From(r)
	title := word(r, "basket")
	b := formatBasket(lines)
	actions := []ui.Link{{Label: word(r, "continue"), Href: "/?" + basketQuery(lines)}}
	if req.Level != sdk.Village {
		// A regency's or sub-district's mall has no basket: an order
		// belongs to one village, and is placed at its page.
		ui.Render(w, r, ui.Page{Title: title, Status: max(status, http.StatusOK), Actions: []ui.Link{{Label: word(r, "continue"), Href: "/"}}, Body: []ui.Node{ui.Text(word(r, "village_only"))}})
		return
	}
	if len(lines) == 0 {
		ui.Render(w, r, ui.Page{Title: title, Status: status, Actions: []ui.Link{{Label: word(r, "continue"), Href: "/"}}, Body: []ui.Node{
			ui.HTML(`<p class="b-empty">` + template.HTML(template.HTMLEscapeString(word(r, "basket_empty"))) + `</p>`),
		}})
		return
	}
	ids := make([]string, len(lines))
	for i, l := range lines {
		ids[i] = l.ProductID
	}
	// The same read placing an order makes: the village's products by id.
	recs, _, err := req.Records("products").Query().Where(sdk.FieldID, sdk.In, ids).Page(0, len(ids)).Run(r.Context())
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	products := map[string]Product{}
	for i := range recs {
		var p Product
		if err := recs[i].Decode(&p); err != nil {
			pageErrors.Fail(w, r, title, err)
			return
		}
		products[recs[i].ID] = p
	}
	var total int64
	var rows []basketLine
	for _, l := range lines {
		rest := slices.DeleteFunc(slices.Clone(lines), func(x itemLine) bool { return x.ProductID == l.ProductID })
		row := basketLine{Qty: strconv.FormatInt(l.Qty, 10), Remove: ui.Href(r, "/basket?"+basketQuery(rest))}
		p, ok := products[l.ProductID]
		switch {
		case !ok:
			row.Name, row.Note, row.Price, row.Subtotal = l.ProductID, word(r, "unavailable"), "–", "–"
		default:
			row.Href, row.Name = ui.Href(r, "/products/"+url.PathEscape(l.ProductID)+"?"+basketQuery(lines)), p.Name
			row.Price, row.Subtotal = ui.Rupiah(p.Price), ui.Rupiah(p.Price*l.Qty)
			total += p.Price * l.Qty
			if !p.Listed || p.Stock < l.Qty {
				row.Note = word(r, "unavailable")
			}
		}
		rows = append(rows, row)
	}
	table := ui.Execute(r, basketT, map[string]any{"Caption": title, "W": words[langOf(r)], "Lines": rows, "Total": ui.Rupiah(total)})
	vals := map[string][]string{}
	for k, v := range values {
		vals[k] = v
	}
	vals["b"] = []string{b}
	form := ui.Form{Action: "/checkout", Submit: word(r, "checkout"), Values: vals, Errors: errs, Error: msg, Fields: []ui.Field{
		{Name: "b", Type: "hidden"},
		{Name: "buyer_name", Label: word(r, "buyer_name"), Required: true, Max: 100},
		{Name: "phone", Label: word(r, "phone"), Type: "tel", Required: true, Max: 20, Help: word(r, "phone_help")},
		{Name: "address", Label: word(r, "address"), Type: "textarea", Max: 300},
	}}
	ui.Render(w, r, ui.Page{Title: title, Status: status, Actions: actions, Body: []ui.Node{ui.HTML(table), ui.Section(word(r, "checkout"), form)}})
}

func langOf(r *http.Request) string {
	if ui.Info(r).Lang == "en" {
		return "en"
	}
	return "id"
}

// trackPage asks for an order's code and opens its page.
func trackPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	form := ui.Form{Method: "GET", Submit: word(r, "find"), Values: q, Fields: []ui.Field{
		{Name: "code", Label: word(r, "code"), Required: true, Max: 40, Help: word(r, "track_help")},
	}}
	status := http.StatusOK
	if code := strings.TrimSpace(q.Get("code")); code != "" {
		if c, ok := normalizeCode(code); ok {
			ui.Redirect(w, r, "/orders/"+c, "", "")
			return
		}
		status = http.StatusUnprocessableEntity
		form.Errors = map[string]string{"code": codeWords[codeOrderNotFound]}
		if langOf(r) == "en" {
			form.Errors["code"] = "No order has this code."
		}
	}
	ui.Render(w, r, ui.Page{Title: word(r, "track"), Status: status, Body: []ui.Node{form}})
}

// orderPage is the buyer's tracking page, as the API's GET /orders/{code}
// shows it: the buyer's name and phone masked, no address.
func orderPage(w http.ResponseWriter, r *http.Request) {
	o, err := ui.Answer[orderView](r, getOrder)
	if err != nil {
		pageErrors.Fail(w, r, word(r, "order"), err)
		return
	}
	ui.Render(w, r, ui.Page{Title: word(r, "order") + " " + o.Number, Actions: []ui.Link{{Label: word(r, "continue"), Href: "/"}}, Body: orderBody(r, o)})
}

var linesT = template.Must(template.New("lines").Parse(
	`<div class="b-table-wrap"><table class="b-table"><thead><tr><th scope="col">{{.W.name}}</th><th scope="col">{{.W.seller}}</th><th scope="col">{{.W.price}}</th><th scope="col">{{.W.qty}}</th><th scope="col">{{.W.subtotal}}</th></tr></thead><tbody>` +
		`{{range .Lines}}<tr><td>{{.Name}}</td><td>{{.Seller}}</td><td>{{.Price}}</td><td>{{.Qty}}</td><td>{{.Subtotal}}</td></tr>{{end}}` +
		`</tbody><tfoot><tr><th scope="row" colspan="4">{{.W.total}}</th><td><strong>{{.Total}}</strong></td></tr></tfoot></table></div>`))

// orderBody is an order's details, its timeline and its lines, for the
// buyer's page and the seller's.
func orderBody(r *http.Request, o orderView) []ui.Node {
	pairs := [][2]string{
		{word(r, "number"), o.Number},
		{word(r, "code"), o.Code},
		{word(r, "village"), o.Village.Name},
		{word(r, "buyer"), o.BuyerName},
		{word(r, "phone"), o.Phone},
	}
	if !o.Masked && o.Address != "" {
		pairs = append(pairs, [2]string{word(r, "address"), o.Address})
	}
	pairs = append(pairs, [2]string{word(r, "placed_at"), ui.DateTime(r, o.PlacedAt)})
	if o.ConfirmedAt != nil {
		pairs = append(pairs, [2]string{word(r, "confirmed_at"), ui.DateTime(r, *o.ConfirmedAt)})
	}
	if o.ShippedAt != nil {
		pairs = append(pairs, [2]string{word(r, "shipped_at"), ui.DateTime(r, *o.ShippedAt)})
	}
	if o.CompletedAt != nil {
		pairs = append(pairs, [2]string{word(r, "completed_at"), ui.DateTime(r, *o.CompletedAt)})
	}
	if o.CancelledAt != nil {
		pairs = append(pairs, [2]string{word(r, "cancelled_at"), ui.DateTime(r, *o.CancelledAt)})
		if o.CancelReason != "" {
			pairs = append(pairs, [2]string{word(r, "cancel_reason"), o.CancelReason})
		}
	}
	type line struct{ Name, Seller, Price, Qty, Subtotal string }
	var ls []line
	for _, l := range o.Items {
		name := l.Name
		if l.Unit != "" {
			name += " (" + l.Unit + ")"
		}
		ls = append(ls, line{Name: name, Seller: l.Seller.Name, Price: ui.Rupiah(l.Price), Qty: strconv.FormatInt(l.Qty, 10), Subtotal: ui.Rupiah(l.Subtotal)})
	}
	body := []ui.Node{
		ui.HTML(`<p>` + stateBadge(r, o.State).HTML(r) + `</p>`),
		ui.DefinitionList(pairs...),
		ui.HTML(ui.Execute(r, linesT, map[string]any{"W": words[langOf(r)], "Lines": ls, "Total": ui.Rupiah(o.Total)})),
	}
	return body
}
