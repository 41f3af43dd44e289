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
	// permSellersPersonal shows sellers' owners' names, and
	// permOrdersPersonal buyers' names, phones and addresses: the
	// collections' personal permissions, which the host masks by.
	permSellersPersonal = "marketplace.sellers.read_personal"
	permOrdersPersonal  = "marketplace.orders.read_personal"
)

// Events other modules can follow. Payloads carry no buyer data.
const (
	eventPlaced    = "marketplace.order_placed"
	eventConfirmed = "marketplace.order_confirmed"
	eventShipped   = "marketplace.order_shipped"
	eventCompleted = "marketplace.order_completed"
	eventCancelled = "marketplace.order_cancelled"
)

var plugin = sdk.Plugin{
	ID: pluginID, Version: "0.1.0", Vendor: "Balai",
	Description: "Mall Online Desa: village sellers (UMKM, BUMDes), products and orders; one catalogue per district",
	Permissions: []sdk.Permission{
		{Name: permCatalog, Description: "register sellers, list and edit products and their photos", Roles: []string{"operator"}},
		{Name: permOrdersR, Description: "list orders (buyers' names and phones masked)", Roles: []string{"viewer", "operator"}},
		{Name: permOrdersMgr, Description: "confirm, ship, complete and cancel orders", Roles: []string{"operator"}},
		{Name: permSellersPersonal, Description: "see sellers' owners' names (audited)", Roles: []string{"operator"}},
		{Name: permOrdersPersonal, Description: "see buyers' names, phones and addresses, and search orders by phone (audited)", Roles: []string{"operator"}},
	},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/categories", Public: true, Handler: sdk.Func(listCategories)},
		{Method: "GET", Path: "/sellers", Public: true, Handler: sdk.Func(listSellers)},
		{Method: "POST", Path: "/sellers", Permission: permCatalog, Handler: sdk.Func(createSeller)},
		{Method: "GET", Path: "/sellers/{id}", Public: true, Handler: sdk.Func(getSeller)},
		{Method: "PATCH", Path: "/sellers/{id}", Permission: permCatalog, Handler: sdk.Func(patchSeller)},
		{Method: "GET", Path: "/products", Public: true, Handler: sdk.Func(listProducts)},
		{Method: "POST", Path: "/products", Permission: permCatalog, Handler: sdk.Func(createProduct)},
		{Method: "GET", Path: "/products/{id}", Public: true, Handler: sdk.Func(getProduct)},
		{Method: "PATCH", Path: "/products/{id}", Permission: permCatalog, Handler: sdk.Func(patchProduct)},
		{Method: "POST", Path: "/products/{id}/stock", Permission: permCatalog, Handler: sdk.Func(adjustStock)},
		{Method: "POST", Path: "/products/{id}/photos", Permission: permCatalog, MaxBodyBytes: maxPhotoBytes + multipartSlack, Timeout: 2 * time.Minute, Handler: sdk.Func(uploadPhoto)},
		{Method: "GET", Path: "/products/{id}/photos/{file}", Public: true, Handler: http.HandlerFunc(servePhoto)},
		{Method: "GET", Path: "/products/{id}/photos/{file}/thumb", Public: true, Handler: http.HandlerFunc(serveThumb)},
		{Method: "DELETE", Path: "/products/{id}/photos/{file}", Permission: permCatalog, Handler: sdk.Func(deletePhoto)},
		{Method: "POST", Path: "/orders", Public: true, MaxBodyBytes: 64 << 10, RateLimit: &sdk.RateLimit{Requests: 30, Window: 10 * time.Minute}, Handler: sdk.Func(placeOrder)},
		{Method: "GET", Path: "/orders", Permission: permOrdersR, Handler: sdk.Func(listOrders)},
		{Method: "GET", Path: "/orders/{code}", Public: true, RateLimit: &sdk.RateLimit{Requests: 60, Window: time.Minute}, Handler: sdk.Func(getOrder)},
		{Method: "POST", Path: "/orders/{code}/confirm", Permission: permOrdersMgr, Handler: sdk.Func(transition("confirm"))},
		{Method: "POST", Path: "/orders/{code}/ship", Permission: permOrdersMgr, Handler: sdk.Func(transition("ship"))},
		{Method: "POST", Path: "/orders/{code}/complete", Permission: permOrdersMgr, Handler: sdk.Func(transition("complete"))},
		{Method: "POST", Path: "/orders/{code}/cancel", Permission: permOrdersMgr, Handler: sdk.Func(transition("cancel"))},
	},
	Pages:     pages(),
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
		// The plugin also leaves the owner's name out for other callers.
		PersonalPermission: permSellersPersonal,
	}, {
		Name: "products",
		Fields: []sdk.Field{
			{Name: "seller_id", Type: sdk.String, Required: true},
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "category", Type: sdk.String, Required: true},
			{Name: "price", Type: sdk.Int, Required: true},
			{Name: "stock", Type: sdk.Int, Required: true},
			{Name: "unlimited", Type: sdk.Bool},
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
		// The plugin also masks the buyer in its own way for other callers.
		PersonalPermission: permOrdersPersonal,
	}},
}

func main() { sdk.Serve(&plugin) }
