package main

// Shared parts of the marketplace's screens (ui_public.go for citizens,
// ui_console.go for sellers): the screens' words, how an API error is
// shown, and calling the API's own handlers so that a screen applies the
// very rules the API does.

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// pages are the marketplace's screens: the public mall at
// /{tenant}/marketplace/... and the seller's side in the console at
// /console/{tenant}/m/marketplace/manage/....
func pages() []sdk.PageRoute {
	return []sdk.PageRoute{
		// Citizens.
		{Method: "GET", Path: "/{$}", Public: true, Handler: http.HandlerFunc(catalogPage)},
		{Method: "GET", Path: "/products/{id}", Public: true, Handler: http.HandlerFunc(productPage)},
		{Method: "GET", Path: "/basket", Public: true, Handler: http.HandlerFunc(basketPage)},
		{Method: "POST", Path: "/checkout", Public: true, MaxBodyBytes: 64 << 10, Handler: http.HandlerFunc(checkoutPage)},
		{Method: "GET", Path: "/track", Public: true, Handler: http.HandlerFunc(trackPage)},
		{Method: "GET", Path: "/orders/{code}", Public: true, Handler: http.HandlerFunc(orderPage)},
		// Sellers.
		{Method: "GET", Path: "/manage/products", Permission: permCatalog, Handler: http.HandlerFunc(manageProductsPage),
			Menu: &sdk.MenuEntry{Label: "Lapak Desa", LabelEN: "Village shop", Icon: "shop", Order: 40}},
		{Method: "GET", Path: "/manage/products/new", Permission: permCatalog, Handler: http.HandlerFunc(newProductPage)},
		{Method: "POST", Path: "/manage/products", Permission: permCatalog, Handler: http.HandlerFunc(createProductPage)},
		{Method: "GET", Path: "/manage/products/{id}", Permission: permCatalog, Handler: http.HandlerFunc(editProductPage)},
		{Method: "POST", Path: "/manage/products/{id}", Permission: permCatalog, Handler: http.HandlerFunc(saveProductPage)},
		{Method: "POST", Path: "/manage/products/{id}/stock", Permission: permCatalog, Handler: http.HandlerFunc(stockPage)},
		{Method: "POST", Path: "/manage/products/{id}/photos", Permission: permCatalog, MaxBodyBytes: maxPhotoBytes + multipartSlack, Handler: http.HandlerFunc(uploadPhotoPage)},
		{Method: "POST", Path: "/manage/products/{id}/photos/{file}/delete", Permission: permCatalog, Handler: http.HandlerFunc(deletePhotoPage)},
		{Method: "GET", Path: "/manage/sellers", Permission: permCatalog, Handler: http.HandlerFunc(sellersPage)},
		{Method: "POST", Path: "/manage/sellers", Permission: permCatalog, Handler: http.HandlerFunc(createSellerPage)},
		{Method: "GET", Path: "/manage/sellers/{id}", Permission: permCatalog, Handler: http.HandlerFunc(editSellerPage)},
		{Method: "POST", Path: "/manage/sellers/{id}", Permission: permCatalog, Handler: http.HandlerFunc(saveSellerPage)},
		{Method: "GET", Path: "/manage/orders", Permission: permOrdersR, Handler: http.HandlerFunc(ordersPage),
			Menu: &sdk.MenuEntry{Label: "Pesanan Lapak", LabelEN: "Shop orders", Icon: "box", Order: 41}},
		{Method: "GET", Path: "/manage/orders/{code}", Permission: permOrdersR, Handler: http.HandlerFunc(manageOrderPage)},
		{Method: "POST", Path: "/manage/orders/{code}/{action}", Permission: permOrdersMgr, Handler: http.HandlerFunc(orderActionPage)},
		{Method: "GET", Path: "/manage/widget", Permission: permOrdersR, Widget: true, Handler: http.HandlerFunc(ordersWidget)},
	}
}

// words are the screens' own strings, in Bahasa Indonesia and English.
var words = ui.Words{
	"id": {
		"mall": "Mall Desa", "search": "Cari produk", "category": "Kategori", "village": "Desa", "sort": "Urutan",
		"sort_newest": "Terbaru", "sort_price": "Harga termurah", "sort_-price": "Harga termahal", "sort_name": "Nama A–Z",
		"no_products": "Belum ada produk yang cocok.", "seller": "Penjual", "price": "Harga", "stock": "Stok",
		"district": "Kecamatan", "district_help": "Pilih kecamatan lalu tekan Cari untuk memilih desanya.",
		"unlimited": "Stok tanpa batas", "unlimited_no": "Tidak: hitung stok di atas", "unlimited_yes": "Ya: dibuat sesuai pesanan / selalu ada",
		"unlimited_short": "tanpa batas", "set_stock": "Simpan stok", "sold_out": "Habis", "mark_unlimited": "Tanpa batas",
		"stock_saved": "Stok disimpan.", "stock_help": "Isi 0 bila habis.", "stock_of": "Stok",
		"unit": "Satuan", "description": "Keterangan", "name": "Nama", "qty": "Jumlah", "add_basket": "Masukkan keranjang",
		"basket": "Keranjang", "basket_empty": "Keranjang masih kosong.", "subtotal": "Subtotal", "total": "Total",
		"remove": "Hapus", "continue": "Lanjut belanja", "checkout": "Pesan sekarang", "buyer_name": "Nama pembeli",
		"phone": "Nomor HP (WhatsApp)", "phone_help": "Contoh: 0812-3456-7890. Penjual menghubungi Anda lewat nomor ini.",
		"address": "Alamat pengiriman", "placed": "Pesanan diterima. Simpan tautan halaman ini untuk melacak pesanan.",
		"order": "Pesanan", "number": "Nomor pesanan", "code": "Kode pelacakan", "state": "Status", "placed_at": "Dipesan",
		"confirmed_at": "Dikonfirmasi", "shipped_at": "Dikirim", "completed_at": "Selesai", "cancelled_at": "Dibatalkan",
		"cancel_reason": "Alasan pembatalan", "track": "Lacak pesanan", "track_help": "Kode pelacakan ada di halaman pesanan Anda (20 huruf dan angka).",
		"find": "Cari", "unavailable": "tidak tersedia", "in_stock": "tersedia", "out_of_stock": "Stok habis",
		"photos": "Foto", "buyer": "Pembeli", "masked": "Data pembeli disamarkan.",
		"st_new": "Baru", "st_confirmed": "Dikonfirmasi", "st_shipped": "Dikirim", "st_completed": "Selesai", "st_cancelled": "Dibatalkan", "st_all": "Semua",
		"products": "Produk Lapak", "new_product": "Tambah produk", "edit_product": "Ubah produk", "listed": "Tampil di mall",
		"listed_yes": "Ditampilkan", "listed_no": "Disembunyikan", "saved": "Produk disimpan.", "created": "Produk ditambahkan. Tambahkan fotonya.",
		"upload": "Unggah foto", "photo": "Foto produk", "photo_help": "JPEG, PNG, WebP atau GIF, paling besar 5 MB.",
		"uploaded": "Foto diunggah.", "delete_photo": "Hapus foto", "delete_photo_q": "Hapus foto ini dari produk?", "photo_deleted": "Foto dihapus.",
		"sellers": "Penjual", "new_seller": "Daftarkan penjual", "kind": "Jenis", "kind_umkm": "UMKM", "kind_bumdes": "BUMDes",
		"contact_phone": "Nomor HP usaha", "owner_name": "Nama pemilik", "seller_saved": "Penjual didaftarkan.", "edit_seller": "Ubah penjual", "seller_address": "Alamat usaha", "seller_updated": "Data penjual disimpan.",
		"seller_help": "Isian yang dikosongkan tidak diubah.",
		"no_sellers":  "Belum ada penjual. Daftarkan penjual dulu sebelum menambah produk.",
		"orders":      "Pesanan Lapak", "no_orders": "Tidak ada pesanan.", "waiting": "%s pesanan baru menunggu konfirmasi",
		"open_orders": "Buka antrean pesanan", "act_confirm": "Konfirmasi", "act_ship": "Tandai dikirim", "act_complete": "Tandai selesai",
		"act_cancel": "Batalkan pesanan", "cancel_q": "Batalkan pesanan ini? Stok dikembalikan.", "reason": "Alasan (tidak wajib)",
		"moved_confirm": "Pesanan dikonfirmasi.", "moved_ship": "Pesanan ditandai dikirim.", "moved_complete": "Pesanan selesai.",
		"moved_cancel": "Pesanan dibatalkan.", "error": "Terjadi kesalahan. Coba lagi nanti.", "back": "Kembali",
		"not_found": "Tidak ditemukan", "all": "Semua", "date": "Tanggal", "village_only": "Pesan dari halaman desa penjualnya.",
	},
	"en": {
		"mall": "Village mall", "search": "Search products", "category": "Category", "village": "Village", "sort": "Sort",
		"sort_newest": "Newest", "sort_price": "Cheapest", "sort_-price": "Most expensive", "sort_name": "Name A–Z",
		"no_products": "No products match.", "seller": "Seller", "price": "Price", "stock": "Stock",
		"district": "Sub-district", "district_help": "Choose a sub-district, then Find, to choose one of its villages.",
		"unlimited": "Unlimited stock", "unlimited_no": "No: count the stock above", "unlimited_yes": "Yes: made to order / always at hand",
		"unlimited_short": "unlimited", "set_stock": "Save stock", "sold_out": "Sold out", "mark_unlimited": "Unlimited",
		"stock_saved": "Stock saved.", "stock_help": "0 when sold out.", "stock_of": "Stock of",
		"unit": "Unit", "description": "Description", "name": "Name", "qty": "Quantity", "add_basket": "Add to basket",
		"basket": "Basket", "basket_empty": "The basket is empty.", "subtotal": "Subtotal", "total": "Total",
		"remove": "Remove", "continue": "Continue shopping", "checkout": "Place the order", "buyer_name": "Buyer's name",
		"phone": "Mobile number (WhatsApp)", "phone_help": "For example 0812-3456-7890. The seller contacts you on it.",
		"address": "Delivery address", "placed": "Order received. Keep this page's link to track the order.",
		"order": "Order", "number": "Order number", "code": "Tracking code", "state": "State", "placed_at": "Placed",
		"confirmed_at": "Confirmed", "shipped_at": "Shipped", "completed_at": "Completed", "cancelled_at": "Cancelled",
		"cancel_reason": "Reason for cancelling", "track": "Track an order", "track_help": "The tracking code is on your order's page (20 letters and digits).",
		"find": "Find", "unavailable": "not available", "in_stock": "in stock", "out_of_stock": "Out of stock",
		"photos": "Photos", "buyer": "Buyer", "masked": "The buyer's data is masked.",
		"st_new": "New", "st_confirmed": "Confirmed", "st_shipped": "Shipped", "st_completed": "Completed", "st_cancelled": "Cancelled", "st_all": "All",
		"products": "Shop products", "new_product": "Add a product", "edit_product": "Edit product", "listed": "Shown in the mall",
		"listed_yes": "Shown", "listed_no": "Hidden", "saved": "Product saved.", "created": "Product added. Add its photos.",
		"upload": "Upload a photo", "photo": "Product photo", "photo_help": "JPEG, PNG, WebP or GIF, at most 5 MB.",
		"uploaded": "Photo uploaded.", "delete_photo": "Delete photo", "delete_photo_q": "Delete this photo from the product?", "photo_deleted": "Photo deleted.",
		"sellers": "Sellers", "new_seller": "Register a seller", "kind": "Kind", "kind_umkm": "Small business (UMKM)", "kind_bumdes": "BUMDes",
		"contact_phone": "Business mobile number", "owner_name": "Owner's name", "seller_saved": "Seller registered.", "edit_seller": "Edit seller", "seller_address": "Business address", "seller_updated": "Seller saved.",
		"seller_help": "A field left empty is not changed.",
		"no_sellers":  "No sellers yet. Register a seller before adding products.",
		"orders":      "Shop orders", "no_orders": "No orders.", "waiting": "%s new orders waiting for confirmation",
		"open_orders": "Open the order queue", "act_confirm": "Confirm", "act_ship": "Mark shipped", "act_complete": "Mark completed",
		"act_cancel": "Cancel the order", "cancel_q": "Cancel this order? Its stock is returned.", "reason": "Reason (optional)",
		"moved_confirm": "Order confirmed.", "moved_ship": "Order marked shipped.", "moved_complete": "Order completed.",
		"moved_cancel": "Order cancelled.", "error": "Something went wrong. Try again later.", "back": "Back",
		"not_found": "Not found", "all": "All", "date": "Date", "village_only": "Order from the seller's village page.",
	},
}

// word is the screen string key in the user's language.
func word(r *http.Request, key string) string { return words.Get(r, key) }

// codeFields are the form fields this plugin's error codes point at (most
// of its errors carry no Field of their own).
var codeFields = map[sdk.Code]string{
	codeInvalidName: "name", codeInvalidCategory: "category", codeInvalidPrice: "price", codeInvalidStock: "stock",
	codeInvalidUnit: "unit", codeInvalidDescription: "description", codeUnknownSeller: "seller_id",
	codeInvalidBuyerName: "buyer_name", codeInvalidPhone: "phone", codeInvalidAddress: "address",
	codeInvalidReason: "reason", codeInvalidKind: "kind", codeInvalidContactPhone: "contact_phone", codeInvalidOwnerName: "owner_name",
}

// codeWords say the API's errors in Bahasa Indonesia; an error not listed
// shows the API's own (English) message.
var codeWords = map[sdk.Code]string{
	codeInvalidName: "Nama wajib diisi, satu baris, paling banyak 120 karakter.", codeInvalidCategory: "Pilih salah satu kategori.",
	codeInvalidPrice: "Harga harus bilangan bulat rupiah dari 1 sampai 1.000.000.000.", codeInvalidStock: "Isi stok (bilangan bulat dari 0 sampai 1.000.000) atau pilih stok tanpa batas.",
	codeInvalidUnit: "Satuan paling banyak 20 karakter, satu baris.", codeInvalidDescription: "Keterangan terlalu panjang atau memuat karakter yang tidak diizinkan.",
	codeUnknownSeller: "Pilih penjual desa ini.", codeInvalidBuyerName: "Nama pembeli wajib diisi, satu baris, paling banyak 100 karakter.",
	codeInvalidPhone: "Nomor HP harus nomor seluler Indonesia, misalnya 0812-3456-7890.", codeInvalidAddress: "Alamat paling banyak 300 karakter.",
	codeInvalidReason: "Alasan paling banyak 300 karakter.", codeInvalidKind: "Pilih UMKM atau BUMDes.",
	codeInvalidContactPhone: "Nomor HP harus nomor seluler Indonesia, misalnya 0812-3456-7890.", codeInvalidOwnerName: "Nama pemilik satu baris, paling banyak 120 karakter.",
	codeInvalidItems: "Keranjang kosong atau berisi lebih dari 20 produk.", codeInvalidQty: "Jumlah tiap produk 1 sampai 100.",
	codeUnknownProduct:     "Ada produk yang bukan dari desa ini. " + "Pesan dari halaman desa penjualnya.",
	codeProductUnavailable: "Ada produk yang sedang tidak dijual.", codeOutOfStock: "Stok salah satu produk tidak cukup.",
	codeOrderNotFound: "Tidak ada pesanan dengan kode ini.", codeProductNotFound: "Produk tidak ditemukan.",
	codeInvalidTransition: "Status pesanan sudah berubah; tindakan ini tidak bisa dilakukan lagi.",
	codeTooManyPhotos:     "Produk sudah punya 8 foto: hapus satu dulu.", codeNotAnImage: "Berkas harus gambar JPEG, PNG, WebP atau GIF.",
	codePhotoTooLarge: "Foto paling besar 5 MB.", codeMalformedForm: "Pilih berkas foto.", codeEmptyPatch: "Tidak ada yang diubah.",
	codeNotAVillage: "Lapak dikelola di tingkat desa.", sdk.CodeConflict: "Data berubah saat Anda menyimpan. Muat ulang lalu coba lagi.",
}

// pageErrors say the API's errors on the screens: the field at fault
// and the sentence in Bahasa Indonesia.
var pageErrors = ui.Errors{Module: "marketplace", Text: codeWords, Fields: codeFields}

// stateBadge shows an order's state.
func stateBadge(r *http.Request, state string) ui.Node {
	kind := map[string]string{StateNew: "warning", StateConfirmed: "info", StateShipped: "info", StateCompleted: "success", StateCancelled: "danger"}[state]
	return ui.Badge(kind, word(r, "st_"+state))
}

func categoryOptions() []ui.Option {
	out := make([]ui.Option, len(categories))
	for i, c := range categories {
		out[i] = ui.Option{Value: c.Code, Label: c.Name}
	}
	return out
}
