package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// Bounds that keep every total of an order exact in an int64 and in the
// float64 of a JSON client.
const (
	maxPrice = 1_000_000_000 // rupiah
	maxStock = 1_000_000
	// unlimitedStock is the stock an unlimited product is held at: what
	// orders may take of it before a seller would notice is beyond any
	// village's day.
	unlimitedStock = maxStock
)

// Product is a product as stored.
type Product struct {
	SellerID string `json:"seller_id"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Price    int64  `json:"price"`
	Stock    int64  `json:"stock"`
	// Unlimited marks a product made to order or always at hand (a meal,
	// a service): no count is kept. Its stock is then held at
	// unlimitedStock, so that the order path, the in_stock filter and the
	// guards stay those of a counted product.
	Unlimited   bool    `json:"unlimited,omitempty"`
	Unit        string  `json:"unit,omitempty"`
	Description string  `json:"description,omitempty"`
	Listed      bool    `json:"listed"`
	Photos      []Photo `json:"photos,omitempty"`
	NameKey     string  `json:"name_key"`
	Search      string  `json:"search"`
}

// Photo is a product photo kept in the host's file storage.
type Photo struct {
	ID          string `json:"id"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	// Thumb is the file id of a 320 px JPEG thumbnail; empty when the
	// photo could not be made into one.
	Thumb string `json:"thumb,omitempty"`
}

// productInput is the body of POST /products.
type productInput struct {
	SellerID string `json:"seller_id"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Price    int64  `json:"price" range:"invalid_price"`
	Stock    *int64 `json:"stock" range:"invalid_stock"`
	// Unlimited true lists the product without a count (stock is then
	// left out).
	Unlimited   *bool  `json:"unlimited"`
	Unit        string `json:"unit"`
	Description string `json:"description"`
	Listed      *bool  `json:"listed"`
}

func (in productInput) product() Product {
	p := Product{SellerID: strings.TrimSpace(in.SellerID), Name: in.Name, Category: in.Category, Price: in.Price,
		Unit: in.Unit, Description: in.Description, Listed: true, Stock: -1}
	if in.Stock != nil {
		p.Stock = *in.Stock
	}
	if in.Unlimited != nil && *in.Unlimited {
		p.Unlimited = true
		if in.Stock != nil {
			p.Stock = -2 // refused by validate: a count or unlimited, not both
		} else {
			p.Stock = unlimitedStock
		}
	}
	if in.Listed != nil {
		p.Listed = *in.Listed
	}
	return p
}

// validate checks a product and derives its sort and search keys.
func (p *Product) validate() error {
	var err error
	if p.Name, err = cleanName("name", codeInvalidName, p.Name, 120, true); err != nil {
		return err
	}
	p.Category = strings.ToLower(strings.TrimSpace(p.Category))
	label, ok := categoryName(p.Category)
	if !ok {
		return sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidCategory, "category must be one of %s (GET /categories)", categoryCodes())
	}
	if p.Price < 1 || p.Price > maxPrice {
		return sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidPrice, "price must be whole rupiah from 1 to %d", maxPrice)
	}
	switch {
	case p.Stock == -2:
		return sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidStock, "give stock (a count) or unlimited: true, not both")
	case p.Unlimited:
		// Orders taken while it was counted may come back on a cancel,
		// above unlimitedStock: nothing to check.
	case p.Stock < 0 || p.Stock > maxStock:
		return sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidStock, "stock is required: a whole number from 0 to %d, or unlimited: true", maxStock)
	}
	if p.Unit, err = cleanName("unit", codeInvalidUnit, p.Unit, 20, false); err != nil {
		return err
	}
	if p.Description, err = cleanText("description", codeInvalidDescription, p.Description, 4000, false); err != nil {
		return err
	}
	p.NameKey = strings.ToLower(p.Name)
	p.Search = strings.Join([]string{p.Name, label, p.Description}, "\n")
	return nil
}

// productView is a product as the catalogue shows it.
type productView struct {
	ID           string    `json:"id"`
	Version      int64     `json:"version"`
	Village      Village   `json:"village"`
	Seller       sellerRef `json:"seller"`
	Name         string    `json:"name"`
	Category     string    `json:"category"`
	CategoryName string    `json:"category_name"`
	Price        int64     `json:"price"`
	// Stock is how many can be ordered; of an unlimited product, a
	// number no village order reaches (unlimitedStock or about).
	Stock       int64       `json:"stock"`
	Unlimited   bool        `json:"unlimited"`
	Unit        string      `json:"unit,omitempty"`
	Description string      `json:"description,omitempty"`
	Listed      bool        `json:"listed"`
	Photos      []photoView `json:"photos"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
}

type photoView struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	// ThumbURL is a small JPEG of the photo (320 px wide) for lists; the
	// photo itself when it has none.
	ThumbURL    string `json:"thumb_url"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

func productURL(tenant, id string) string {
	return "/api/v1/t/" + tenant + "/" + pluginID + "/products/" + id
}

// newPhotoView is how a photo of product id in tenant is shown.
func newPhotoView(tenant, id string, ph Photo) photoView {
	url := productURL(tenant, id) + "/photos/" + ph.ID
	return photoView{ID: ph.ID, URL: url, ThumbURL: url + "/thumb", ContentType: ph.ContentType, Size: ph.Size}
}

func newProductView(rec *sdk.Record, pl *places, sellers map[string]sellerRef) (productView, error) {
	var p Product
	if err := rec.Decode(&p); err != nil {
		return productView{}, err
	}
	label, _ := categoryName(p.Category)
	seller, ok := sellers[p.SellerID]
	if !ok {
		seller = sellerRef{ID: p.SellerID}
	}
	v := productView{
		ID: rec.ID, Version: rec.Version, Village: pl.village(rec.Tenant), Seller: seller,
		Name: p.Name, Category: p.Category, CategoryName: label, Price: p.Price, Stock: p.Stock, Unlimited: p.Unlimited, Unit: p.Unit,
		Description: p.Description, Listed: p.Listed, Photos: make([]photoView, 0, len(p.Photos)),
		CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt,
	}
	for _, ph := range p.Photos {
		v.Photos = append(v.Photos, newPhotoView(rec.Tenant, rec.ID, ph))
	}
	return v, nil
}

// productViews builds the views of a page of products with one read of
// their sellers.
func productViews(ctx context.Context, req *sdk.Request, recs []sdk.Record, pl *places) ([]productView, error) {
	var ids []string
	seen := map[string]bool{}
	for i := range recs {
		var p struct {
			SellerID string `json:"seller_id"`
		}
		if err := recs[i].Decode(&p); err != nil {
			return nil, err
		}
		if !seen[p.SellerID] {
			seen[p.SellerID] = true
			ids = append(ids, p.SellerID)
		}
	}
	sellers, err := sellersByID(ctx, req, ids)
	if err != nil {
		return nil, err
	}
	out := make([]productView, 0, len(recs))
	for i := range recs {
		v, err := newProductView(&recs[i], pl, sellers)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// createProduct is POST /products.
var createProduct = villageWrite("products", addProduct)

// villageWrite is the API handler of a write that only a village makes:
// another tenant is refused (not_a_village) before the body is read, and
// the body is bound to T for write, the function the console's forms
// call too.
func villageWrite[T any](what string, write func(*http.Request, T) (int, any, error)) func(*http.Request) (int, any, error) {
	return func(r *http.Request) (int, any, error) {
		if err := notAVillage(sdk.From(r), what); err != nil {
			return 0, nil, err
		}
		var in T
		if err := sdk.Bind(r, &in); err != nil {
			return 0, nil, err
		}
		return write(r, in)
	}
}

// productAnswer answers the product rec as callers see it, with status.
func productAnswer(r *http.Request, status int, rec *sdk.Record, pl *places) (int, any, error) {
	if pl == nil {
		var err error
		if pl, err = loadPlaces(r); err != nil {
			return 0, nil, err
		}
	}
	views, err := productViews(r.Context(), sdk.From(r), []sdk.Record{*rec}, pl)
	if err != nil {
		return 0, nil, err
	}
	return status, views[0], nil
}

// addProduct lists a new product from in: POST /products and the
// console's product form.
func addProduct(r *http.Request, in productInput) (int, any, error) {
	req := sdk.From(r)
	if err := notAVillage(req, "products"); err != nil {
		return 0, nil, err
	}
	p := in.product()
	if err := p.validate(); err != nil {
		return 0, nil, err
	}
	if p.SellerID == "" {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeUnknownSeller, "seller_id is required: register the seller with POST /sellers first")
	}
	// The seller is read in the request's village only: a product cannot
	// be put under a seller of another village.
	if _, err := req.Records("sellers").Get(r.Context(), p.SellerID); errors.Is(err, sdk.ErrNotFound) {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeUnknownSeller, "no seller %s in %s", p.SellerID, req.Tenant)
	} else if err != nil {
		return 0, nil, err
	}
	rec, err := req.Records("products").Insert(r.Context(), p)
	if err != nil {
		return 0, nil, err
	}
	return productAnswer(r, http.StatusCreated, rec, nil)
}

// sorts are the orders of ?sort=.
var sorts = map[string]struct {
	field string
	desc  bool
}{
	"newest": {"created_at", true},
	"oldest": {"created_at", false},
	"price":  {"price", false},
	"-price": {"price", true},
	"name":   {"name_key", false},
	"-name":  {"name_key", true},
}

// listProducts is the catalogue: a village's products, or a district's
// (or sub-district's) across its villages.
func listProducts(r *http.Request) (int, any, error) {
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	params := r.URL.Query()
	sortName := params.Get("sort")
	if sortName == "" {
		sortName = "newest"
	}
	order, ok := sorts[sortName]
	if !ok {
		return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidSort, "sort must be newest, oldest, price, -price, name or -name")
	}
	q := req.Records("products").Query().Page(offset, limit).WithTotal().OrderBy(order.field, order.desc)
	switch params.Get("listed") {
	case "", "true":
		// What the public sees: listed and priced.
		q.Where("listed", sdk.Eq, true).Where("price", sdk.Gt, 0)
	case "false", "all":
		if !req.Can(permCatalog) {
			return 0, nil, sdk.Errorf(http.StatusForbidden, sdk.CodeForbidden, "delisted products are shown only to those who hold %s", permCatalog)
		}
		if params.Get("listed") == "false" {
			q.Where("listed", sdk.Eq, false)
		}
	default:
		return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidListed, "listed must be true, false or all")
	}
	if c := params.Get("category"); c != "" {
		if _, ok := categoryName(c); !ok {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidCategory, "category must be one of %s", categoryCodes())
		}
		q.Where("category", sdk.Eq, c)
	}
	if s := strings.TrimSpace(params.Get("q")); s != "" {
		if input.Len(s) > 100 {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidQ, "q is at most 100 characters")
		}
		q.Where("search", sdk.Like, s)
	}
	if s := params.Get("seller"); s != "" {
		q.Where("seller_id", sdk.Eq, s)
	}
	switch params.Get("in_stock") {
	case "":
	case "true":
		q.Where("stock", sdk.Gt, 0)
	default:
		return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidInStock, "in_stock can only be true")
	}
	pl, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	if ok, err := pl.scope(r, q); err != nil || !ok {
		return http.StatusOK, sdk.ListOf[productView]{Items: []productView{}}, err
	}
	recs, total, err := q.Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	items, err := productViews(r.Context(), req, recs, pl)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, sdk.ListOf[productView]{Items: items, Total: total}, nil
}

// visibleProduct reads a product the caller may see: a listed one, or any
// one for those who manage the catalogue.
func visibleProduct(r *http.Request, pl *places) (*sdk.Record, *Product, error) {
	req := sdk.From(r)
	rec, err := findRecord(r.Context(), req, "products", r.PathValue("id"), pl)
	if err != nil {
		return nil, nil, err
	}
	var p Product
	if rec != nil {
		if err := rec.Decode(&p); err != nil {
			return nil, nil, err
		}
	}
	if rec == nil || (!p.Listed && !req.Can(permCatalog)) {
		return nil, nil, sdk.Errorf(http.StatusNotFound, codeProductNotFound, "no product %s in %s", r.PathValue("id"), req.Tenant)
	}
	return rec, &p, nil
}

func getProduct(r *http.Request) (int, any, error) {
	pl, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	rec, _, err := visibleProduct(r, pl)
	if err != nil {
		return 0, nil, err
	}
	return productAnswer(r, http.StatusOK, rec, pl)
}

// productPatch holds what a PATCH may change. The seller is not among it:
// a product stays with the seller it was listed by.
type productPatch struct {
	Name     *string `json:"name"`
	Category *string `json:"category"`
	Price    *int64  `json:"price" range:"invalid_price"`
	Stock    *int64  `json:"stock" range:"invalid_stock"`
	// Unlimited true drops the count; false needs stock with it.
	Unlimited   *bool   `json:"unlimited"`
	Unit        *string `json:"unit"`
	Description *string `json:"description"`
	Listed      *bool   `json:"listed"`
}

// villageProduct reads a product of the request's village for a write.
func villageProduct(r *http.Request) (*sdk.Record, *Product, error) {
	req := sdk.From(r)
	if err := notAVillage(req, "products"); err != nil {
		return nil, nil, err
	}
	rec, err := req.Records("products").Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, sdk.ErrNotFound) {
		return nil, nil, sdk.Errorf(http.StatusNotFound, codeProductNotFound, "no product %s in %s", r.PathValue("id"), req.Tenant)
	}
	if err != nil {
		return nil, nil, err
	}
	var p Product
	if err := rec.Decode(&p); err != nil {
		return nil, nil, err
	}
	return rec, &p, nil
}

// patchProduct is PATCH /products/{id}.
var patchProduct = villageWrite("products", editProduct)

// editProduct applies patch to the product {id}: PATCH /products/{id} and
// the console's edit form.
func editProduct(r *http.Request, patch productPatch) (int, any, error) {
	req := sdk.From(r)
	rec, p, err := villageProduct(r)
	if err != nil {
		return 0, nil, err
	}
	if patch == (productPatch{}) {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeEmptyPatch, "name at least one field to change")
	}
	for _, f := range []struct {
		src, dst *string
	}{{patch.Name, &p.Name}, {patch.Category, &p.Category}, {patch.Description, &p.Description}, {patch.Unit, &p.Unit}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if patch.Price != nil {
		p.Price = *patch.Price
	}
	if patch.Stock != nil {
		p.Stock, p.Unlimited = *patch.Stock, false
	}
	if patch.Unlimited != nil {
		switch {
		case *patch.Unlimited && patch.Stock != nil:
			return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidStock, "give stock (a count) or unlimited: true, not both")
		case *patch.Unlimited:
			p.Stock, p.Unlimited = unlimitedStock, true
		case patch.Stock == nil:
			return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidStock, "unlimited: false needs the count as stock")
		}
	}
	if patch.Listed != nil {
		p.Listed = *patch.Listed
	}
	if err := p.validate(); err != nil {
		return 0, nil, err
	}
	// Only the fields named are written: orders move the stock all the
	// time, and a PATCH of the description must not put back the stock it
	// read. A PATCH that sets the stock is applied only to the version it
	// read, so it cannot silently undo a reservation made meanwhile.
	set := map[string]any{}
	if patch.Name != nil || patch.Category != nil || patch.Description != nil {
		set["name"], set["name_key"], set["category"], set["description"], set["search"] = p.Name, p.NameKey, p.Category, p.Description, p.Search
	}
	if patch.Unit != nil {
		set["unit"] = p.Unit
	}
	if patch.Price != nil {
		set["price"] = p.Price
	}
	if patch.Stock != nil || patch.Unlimited != nil {
		set["stock"], set["unlimited"] = p.Stock, p.Unlimited
	}
	if patch.Listed != nil {
		set["listed"] = p.Listed
	}
	var expect int64
	if patch.Stock != nil {
		expect = rec.Version
	}
	updated, err := req.Records("products").Update(r.Context(), rec.ID, expect, set)
	if errors.Is(err, sdk.ErrConflict) {
		return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the stock changed (an order came in) since the product was read: read it again, or use POST /products/%s/stock to add or remove stock", rec.ID)
	}
	if err != nil {
		return 0, nil, err
	}
	return productAnswer(r, http.StatusOK, updated, nil)
}

// adjustStock adds (a delivery came in) or removes (spoiled, sold at the
// stall) stock in one guarded statement, whatever orders do meanwhile.
func adjustStock(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	if err := notAVillage(req, "products"); err != nil {
		return 0, nil, err
	}
	var body struct {
		Delta int64 `json:"delta" range:"invalid_delta"`
	}
	if err := sdk.Bind(r, &body); err != nil {
		return 0, nil, err
	}
	if body.Delta == 0 || body.Delta < -maxStock || body.Delta > maxStock {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidDelta, "delta must be a non-zero whole number from %d to %d", -maxStock, maxStock)
	}
	// An unlimited product keeps no count to add to (set one with PATCH
	// stock first).
	if _, p, err := villageProduct(r); err != nil {
		return 0, nil, err
	} else if p.Unlimited {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeStockUnlimited, "the product is unlimited: set a count with PATCH {\"stock\": n} first")
	}
	guard := sdk.Filter{Field: "stock", Op: sdk.Ge, Value: -body.Delta}
	if body.Delta > 0 {
		guard = sdk.Filter{Field: "stock", Op: sdk.Le, Value: maxStock - body.Delta}
	}
	updated, err := req.Records("products").Increment(r.Context(), r.PathValue("id"), map[string]float64{"stock": float64(body.Delta)}, guard)
	switch {
	case errors.Is(err, sdk.ErrNotFound):
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeProductNotFound, "no product %s in %s", r.PathValue("id"), req.Tenant)
	case errors.Is(err, sdk.ErrConditionFailed) && body.Delta < 0:
		return 0, nil, sdk.Errorf(http.StatusConflict, codeInsufficientStock, "the product has less than %d in stock", -body.Delta)
	case errors.Is(err, sdk.ErrConditionFailed):
		return 0, nil, sdk.Errorf(http.StatusConflict, codeStockLimit, "stock cannot exceed %d", maxStock)
	case err != nil:
		return 0, nil, err
	}
	return productAnswer(r, http.StatusOK, updated, nil)
}
