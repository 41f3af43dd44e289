package main

import "github.com/balaidesa/balai/sdk"

// The error codes this plugin answers besides the SDK's shared ones
// (sdk.CodeConflict, sdk.CodeForbidden, sdk.CodeNotFound and Bind's body
// codes). Clients, the README and the e2e tests act on them: they never
// change.
const (
	// codeNotAVillage: sellers, products and orders are written at a
	// village only (422).
	codeNotAVillage sdk.Code = "not_a_village"
	// codeInvalidVillage: ?village= names no village of the tenant with
	// the marketplace (400).
	codeInvalidVillage sdk.Code = "invalid_village"
	// codeInvalidDistrict: ?district= names no sub-district of the tenant
	// with the marketplace in one of its villages (400).
	codeInvalidDistrict sdk.Code = "invalid_district"
	// codeTooManyVillages: a district's listing would filter on more
	// villages than storage takes in one query (400).
	codeTooManyVillages sdk.Code = "too_many_villages"
	// codeEmptyPatch: a PATCH that names no field (422).
	codeEmptyPatch sdk.Code = "empty_patch"

	// codeSellerNotFound: no such seller here (404).
	codeSellerNotFound sdk.Code = "seller_not_found"
	// codeUnknownSeller: a product's seller_id is missing or names no
	// seller of the village (422).
	codeUnknownSeller sdk.Code = "unknown_seller"
	// codeInvalidKind: a seller's kind, or ?kind=, is not umkm or bumdes
	// (422 in a body, 400 in a query).
	codeInvalidKind sdk.Code = "invalid_kind"
	// codeInvalidContactPhone: a seller's contact_phone is not an
	// Indonesian mobile number (422).
	codeInvalidContactPhone sdk.Code = "invalid_contact_phone"
	// codeInvalidOwnerName: a seller's owner_name is not a one-line name
	// of at most 120 characters (422).
	codeInvalidOwnerName sdk.Code = "invalid_owner_name"

	// codeProductNotFound: no such product here, or not listed (404).
	codeProductNotFound sdk.Code = "product_not_found"
	// codeInvalidName: a seller's or product's name is missing or not a
	// one-line name within its limit (422).
	codeInvalidName sdk.Code = "invalid_name"
	// codeInvalidDescription: a description is over its limit or holds
	// characters free text may not (422).
	codeInvalidDescription sdk.Code = "invalid_description"
	// codeInvalidAddress: a seller's or buyer's address, likewise (422).
	codeInvalidAddress sdk.Code = "invalid_address"
	// codeInvalidUnit: a product's unit is not a short one-line name (422).
	codeInvalidUnit sdk.Code = "invalid_unit"
	// codeInvalidCategory: a category, or ?category=, is not one of GET
	// /categories (422 in a body, 400 in a query).
	codeInvalidCategory sdk.Code = "invalid_category"
	// codeInvalidPrice: a price is not whole rupiah from 1 to maxPrice (422).
	codeInvalidPrice sdk.Code = "invalid_price"
	// codeInvalidStock: a stock is missing or outside 0 to maxStock (422).
	codeInvalidStock sdk.Code = "invalid_stock"
	// codeInvalidDelta: a stock adjustment is 0 or too large (422).
	codeInvalidDelta sdk.Code = "invalid_delta"
	// codeInsufficientStock: a stock adjustment would go below 0 (409).
	codeInsufficientStock sdk.Code = "insufficient_stock"
	// codeStockLimit: a stock adjustment would pass maxStock (409).
	codeStockLimit sdk.Code = "stock_limit"
	// codeStockUnlimited: a stock adjustment of a product sold without a
	// count (409).
	codeStockUnlimited sdk.Code = "stock_unlimited"
	// codeInvalidSort, codeInvalidListed, codeInvalidQ, codeInvalidInStock:
	// a catalogue query parameter is malformed (400).
	codeInvalidSort    sdk.Code = "invalid_sort"
	codeInvalidListed  sdk.Code = "invalid_listed"
	codeInvalidQ       sdk.Code = "invalid_q"
	codeInvalidInStock sdk.Code = "invalid_in_stock"

	// codeTooManyPhotos: a product is at maxPhotos (409).
	codeTooManyPhotos sdk.Code = "too_many_photos"
	// codeNotAnImage: the host sniffed the upload as something other than
	// a JPEG, PNG, WebP or GIF image (415).
	codeNotAnImage sdk.Code = "not_an_image"
	// codePhotoTooLarge: a photo is over maxPhotoBytes (413).
	codePhotoTooLarge sdk.Code = "photo_too_large"
	// codeMalformedForm: a multipart upload cannot be read or has no file
	// part (400).
	codeMalformedForm sdk.Code = "malformed_form"
	// codePhotoNotFound: the product has no such photo (404).
	codePhotoNotFound sdk.Code = "photo_not_found"

	// codeOrderNotFound: no order with this code here (404).
	codeOrderNotFound sdk.Code = "order_not_found"
	// codeInvalidBuyerName: the buyer's name is missing or not a one-line
	// name (422).
	codeInvalidBuyerName sdk.Code = "invalid_buyer_name"
	// codeInvalidPhone: the buyer's phone, or ?phone=, is not an
	// Indonesian mobile number (422 in a body, 400 in a query).
	codeInvalidPhone sdk.Code = "invalid_phone"
	// codeInvalidItems: an order has no items, too many, or one without a
	// product_id (422).
	codeInvalidItems sdk.Code = "invalid_items"
	// codeInvalidQty: a line's quantity, or a product's in all, is outside
	// 1 to maxQty (422).
	codeInvalidQty sdk.Code = "invalid_qty"
	// codeUnknownProduct: an order names a product that is not in its
	// village (422).
	codeUnknownProduct sdk.Code = "unknown_product"
	// codeProductUnavailable: an ordered product is delisted or unpriced (409).
	codeProductUnavailable sdk.Code = "product_unavailable"
	// codeOutOfStock: fewer in stock than ordered (409).
	codeOutOfStock sdk.Code = "out_of_stock"
	// codeInvalidState: ?state= is not an order state (400).
	codeInvalidState sdk.Code = "invalid_state"
	// codeForbiddenFilter: a search by phone without the right to see
	// buyers' phones (403).
	codeForbiddenFilter sdk.Code = "forbidden_filter"
	// codeInvalidTransition: the order's state does not allow the action
	// (409).
	codeInvalidTransition sdk.Code = "invalid_transition"
	// codeInvalidReason: a reason on anything but a cancel, or one that is
	// too long or unprintable (422).
	codeInvalidReason sdk.Code = "invalid_reason"
)
