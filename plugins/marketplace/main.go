// Command marketplace is the Mall Online Desa: the sellers of a village
// (UMKM and BUMDes units), their products and the buyers' orders, and one
// public catalogue for a whole district across its villages.
package main

import (
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

const (
	pluginID      = "marketplace"
	permCatalog   = "marketplace.catalog.write"
	permOrdersR   = "marketplace.orders.read"
	permOrdersMgr = "marketplace.orders.manage"
)

// Events other modules can follow. Payloads carry no buyer data.
const (
	eventPlaced    = "marketplace.order_placed"
	eventConfirmed = "marketplace.order_confirmed"
	eventShipped   = "marketplace.order_shipped"
	eventCompleted = "marketplace.order_completed"
	eventCancelled = "marketplace.order_cancelled"
)

var manifest = sdk.Manifest{
	ID: pluginID, Version: "0.1.0", Vendor: "Balai",
	Description: "Mall Online Desa: village sellers (UMKM, BUMDes), products and orders; one catalogue per district",
	Permissions: []sdk.Permission{
		{Name: permCatalog, Description: "register sellers, list and edit products and their photos", Roles: []string{"operator"}},
		{Name: permOrdersR, Description: "list orders (buyers' names and phones masked)", Roles: []string{"viewer", "operator"}},
		{Name: permOrdersMgr, Description: "confirm, ship, complete and cancel orders; see buyers' names and phones (audited)", Roles: []string{"operator"}},
	},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/categories", Public: true},
		{Method: "GET", Path: "/sellers", Public: true},
		{Method: "POST", Path: "/sellers", Permission: permCatalog},
		{Method: "GET", Path: "/sellers/{id}", Public: true},
		{Method: "PATCH", Path: "/sellers/{id}", Permission: permCatalog},
		{Method: "GET", Path: "/products", Public: true},
		{Method: "POST", Path: "/products", Permission: permCatalog},
		{Method: "GET", Path: "/products/{id}", Public: true},
		{Method: "PATCH", Path: "/products/{id}", Permission: permCatalog},
		{Method: "POST", Path: "/products/{id}/stock", Permission: permCatalog},
		{Method: "POST", Path: "/products/{id}/photos", Permission: permCatalog, MaxBodyBytes: maxPhotoBytes + multipartSlack, TimeoutMillis: 120_000},
		{Method: "GET", Path: "/products/{id}/photos/{file}", Public: true},
		{Method: "DELETE", Path: "/products/{id}/photos/{file}", Permission: permCatalog},
		{Method: "POST", Path: "/orders", Public: true, MaxBodyBytes: 64 << 10, RateLimit: &sdk.RateLimit{Requests: 30, Window: 10 * time.Minute}},
		{Method: "GET", Path: "/orders", Permission: permOrdersR},
		{Method: "GET", Path: "/orders/{code}", Public: true, RateLimit: &sdk.RateLimit{Requests: 60, Window: time.Minute}},
		{Method: "POST", Path: "/orders/{code}/confirm", Permission: permOrdersMgr},
		{Method: "POST", Path: "/orders/{code}/ship", Permission: permOrdersMgr},
		{Method: "POST", Path: "/orders/{code}/complete", Permission: permOrdersMgr},
		{Method: "POST", Path: "/orders/{code}/cancel", Permission: permOrdersMgr},
	},
	Publishes: []string{eventPlaced, eventConfirmed, eventShipped, eventCompleted, eventCancelled},
	Collections: []sdk.Collection{{
		Name: "sellers",
		Fields: []sdk.Field{
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "kind", Type: sdk.String, Required: true},
			{Name: "description", Type: sdk.String},
			{Name: "address", Type: sdk.String},
			// A business contact the seller chooses to publish.
			{Name: "contact_phone", Type: sdk.String},
			{Name: "owner_name", Type: sdk.String, Personal: true},
		},
		Indexes: []sdk.Index{{Fields: []string{"name"}}},
	}, {
		Name: "products",
		Fields: []sdk.Field{
			{Name: "seller_id", Type: sdk.String, Required: true},
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "category", Type: sdk.String, Required: true},
			{Name: "price", Type: sdk.Int, Required: true},
			{Name: "stock", Type: sdk.Int, Required: true},
			{Name: "unit", Type: sdk.String},
			{Name: "description", Type: sdk.String},
			{Name: "listed", Type: sdk.Bool, Required: true},
			{Name: "photos", Type: sdk.Object},
			// name_key sorts names the same way on SQLite and PostgreSQL,
			// whatever the server's collation; search is what ?q= matches.
			{Name: "name_key", Type: sdk.String, Required: true},
			{Name: "search", Type: sdk.String, Required: true},
		},
		Indexes: []sdk.Index{
			{Fields: []string{"listed", "category"}},
			{Fields: []string{"seller_id"}},
			{Fields: []string{"price"}},
			{Fields: []string{"name_key"}},
		},
	}, {
		Name: "orders",
		Fields: []sdk.Field{
			{Name: "code", Type: sdk.String, Required: true},
			{Name: "number", Type: sdk.String, Required: true},
			{Name: "state", Type: sdk.String, Required: true},
			{Name: "buyer_name", Type: sdk.String, Required: true, Personal: true},
			{Name: "phone", Type: sdk.String, Required: true, Personal: true},
			{Name: "address", Type: sdk.String, Personal: true},
			{Name: "items", Type: sdk.Object, Required: true},
			{Name: "total", Type: sdk.Int, Required: true},
			{Name: "quantity", Type: sdk.Int, Required: true},
			{Name: "placed_at", Type: sdk.Time, Required: true},
			{Name: "confirmed_at", Type: sdk.Time},
			{Name: "shipped_at", Type: sdk.Time},
			{Name: "completed_at", Type: sdk.Time},
			{Name: "cancelled_at", Type: sdk.Time},
			{Name: "cancel_reason", Type: sdk.String},
		},
		Indexes: []sdk.Index{
			// Codes are random; unique in the deployment so that a code
			// names one order wherever it is quoted.
			{Fields: []string{"code"}, Unique: true, DeploymentWide: true},
			{Fields: []string{"number"}, Unique: true},
			{Fields: []string{"state", "placed_at"}},
			{Fields: []string{"phone"}},
		},
	}},
}

func handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /categories", sdk.Func(listCategories))
	mux.Handle("GET /sellers", sdk.Func(listSellers))
	mux.Handle("POST /sellers", sdk.Func(createSeller))
	mux.Handle("GET /sellers/{id}", sdk.Func(getSeller))
	mux.Handle("PATCH /sellers/{id}", sdk.Func(patchSeller))
	mux.Handle("GET /products", sdk.Func(listProducts))
	mux.Handle("POST /products", sdk.Func(createProduct))
	mux.Handle("GET /products/{id}", sdk.Func(getProduct))
	mux.Handle("PATCH /products/{id}", sdk.Func(patchProduct))
	mux.Handle("POST /products/{id}/stock", sdk.Func(adjustStock))
	mux.Handle("POST /products/{id}/photos", sdk.Func(uploadPhoto))
	mux.Handle("GET /products/{id}/photos/{file}", http.HandlerFunc(servePhoto))
	mux.Handle("DELETE /products/{id}/photos/{file}", sdk.Func(deletePhoto))
	mux.Handle("POST /orders", sdk.Func(placeOrder))
	mux.Handle("GET /orders", sdk.Func(listOrders))
	mux.Handle("GET /orders/{code}", sdk.Func(getOrder))
	for _, action := range []string{"confirm", "ship", "complete", "cancel"} {
		mux.Handle("POST /orders/{code}/"+action, sdk.Func(transition(action)))
	}
	return mux
}

func main() { sdk.Serve(manifest, handler()) }
