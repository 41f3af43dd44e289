// Command services is the public service module: citizens and operators
// request village letters (surat keterangan, surat pengantar), the village
// approves them with a number from its register, and the letter is issued
// as a PDF whose QR code anyone can verify. Districts and regencies
// oversee the requests of all their villages.
package main

import (
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

const (
	permRead     = "services.requests.read"
	permWrite    = "services.requests.write"
	permApprove  = "services.requests.approve"
	permPersonal = "services.requests.read_personal"
	// permLookup finds requests by a full NIK the caller already holds
	// (from the citizen's KTP), as operators do at the counter; viewers
	// see NIKs masked and may not search by them (a search would confirm
	// a NIK rebuilt from the masked one).
	permLookup   = "services.requests.lookup"
	permPrint    = "services.letters.print"
	permSettings = "services.settings.write"
)

var publishes = []string{
	"services.request_submitted", "services.request_updated", "services.request_approved",
	"services.request_rejected", "services.request_issued", "services.request_revoked",
}

// plugin is the services module: its manifest and its handlers.
// publicRequestLimit bounds a citizen's letter requests per client
// address, through the API and the public form alike: a family asks for a
// handful of letters, a script for thousands.
var publicRequestLimit = &sdk.RateLimit{Requests: 20, Window: time.Hour}

var plugin = sdk.Plugin{
	ID: "services", Version: "0.1.0", Vendor: "Balai",
	Description: "Village letters: requests, templates, numbering, PDF with QR verification, district and regency oversight",
	Permissions: []sdk.Permission{
		{Name: permRead, Description: "read letter requests (NIK masked) and their statistics", Roles: []string{"viewer", "operator"}},
		{Name: permWrite, Description: "register letter requests, edit them while submitted, mark letters issued", Roles: []string{"operator"}},
		{Name: permApprove, Description: "approve (numbering the letter), reject and revoke", Roles: []string{"operator"}},
		{Name: permPrint, Description: "download letters as PDF (full personal data, audited)", Roles: []string{"operator"}},
		// The village operator sees the NIKs she types (issue 11 item 7);
		// the host masks nik, resident and letter for everyone else and
		// audits every read that shows them (services.personal.read).
		{Name: permPersonal, Description: "see requesters' full NIK and resident data in the API (each read audited by the host)", Roles: []string{"operator"}},
		{Name: permLookup, Description: "find letter requests by a full NIK (exact match, audited)", Roles: []string{"operator"}},
		{Name: permSettings, Description: "set letterhead, signatory, wording and number format for a tenant and below"},
	},
	Routes: []sdk.Route{
		{Method: "GET", Path: "/letter-types", Public: true, Handler: sdk.Func(listLetterTypes)},
		{Method: "GET", Path: "/letter-types/{code}", Public: true, Handler: sdk.Func(getLetterType)},
		{Method: "PUT", Path: "/letter-types/{code}/template", Permission: permSettings, Handler: sdk.Func(putTemplate)},
		{Method: "GET", Path: "/settings", Permission: permRead, Handler: sdk.Func(getSettings)},
		{Method: "PUT", Path: "/settings", Permission: permSettings, Handler: sdk.Func(putSettings)},
		// The letterhead's emblem (emblem.go): PNG or JPEG, through the
		// host's files; public to read, as it is on every letter.
		{Method: "GET", Path: "/settings/emblem", Public: true, Handler: http.HandlerFunc(serveEmblem)},
		{Method: "PUT", Path: "/settings/emblem", Permission: permSettings, MaxBodyBytes: maxEmblemBytes + emblemSlack, Handler: sdk.Func(putEmblem)},
		{Method: "DELETE", Path: "/settings/emblem", Permission: permSettings, Handler: sdk.Func(deleteEmblem)},
		{Method: "GET", Path: "/requests", Permission: permRead, Handler: sdk.Func(listRequests)},
		{Method: "POST", Path: "/requests", Permission: permWrite, Handler: sdk.Func(villageOnly(createRequest))},
		{Method: "GET", Path: "/requests/stats", Permission: permRead, Handler: sdk.Func(requestStats)},
		{Method: "GET", Path: "/performance", Permission: permRead, Handler: sdk.Func(getPerformance)},
		{Method: "GET", Path: "/requests/{id}", Permission: permRead, Handler: sdk.Func(getRequest)},
		{Method: "PATCH", Path: "/requests/{id}", Permission: permWrite, Handler: sdk.Func(villageOnly(editRequest))},
		{Method: "POST", Path: "/requests/{id}/approve", Permission: permApprove, Timeout: time.Minute, Handler: sdk.Func(villageOnly(approve))},
		{Method: "POST", Path: "/requests/{id}/reject", Permission: permApprove, Handler: sdk.Func(villageOnly(reject))},
		{Method: "POST", Path: "/requests/{id}/issue", Permission: permWrite, Handler: sdk.Func(villageOnly(issue))},
		{Method: "POST", Path: "/requests/{id}/revoke", Permission: permApprove, Handler: sdk.Func(villageOnly(revoke))},
		{Method: "GET", Path: "/requests/{id}/pdf", Permission: permPrint, Handler: http.HandlerFunc(printLetter)},
		{Method: "POST", Path: "/public/requests", Public: true, MaxBodyBytes: 16 << 10, RateLimit: publicRequestLimit,
			Handler: sdk.Func(villageOnly(createPublicRequest))},
		{Method: "GET", Path: "/track/{code}", Public: true, RateLimit: &sdk.RateLimit{Requests: 60, Window: time.Minute}, Handler: sdk.Func(trackRequest)},
		{Method: "GET", Path: "/verify/{code}", Public: true, RateLimit: &sdk.RateLimit{Requests: 60, Window: time.Minute}, Handler: http.HandlerFunc(verifyLetter)},
	},
	Pages:     pages, // ui.go, ui_public.go
	Publishes: publishes,
	Uses:      []string{"population.residents.read", "population.residents.lookup"}, // resident lookups by NIK (GET /residents?nik=)
	Collections: []sdk.Collection{{
		Name: "requests",
		// nik, resident and letter are shown unmasked only with
		// read_personal (the host masks them for other callers).
		PersonalPermission: permPersonal,
		Fields: []sdk.Field{
			{Name: "ref", Type: sdk.String, Required: true},
			{Name: "type", Type: sdk.String, Required: true},
			{Name: "state", Type: sdk.String, Required: true},
			{Name: "nik", Type: sdk.String, Required: true, Personal: true},
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "resident", Type: sdk.Object, Required: true, Personal: true},
			{Name: "purpose", Type: sdk.String, Required: true},
			{Name: "fields", Type: sdk.Object},
			// The registered child of a birth letter, and which fields the
			// register gave (issue 11 item 6, lifeevents.go).
			{Name: "child_nik", Type: sdk.String, Personal: true},
			{Name: "register", Type: sdk.Object},
			{Name: "channel", Type: sdk.String, Required: true},
			{Name: "submitted_by", Type: sdk.String},
			{Name: "submitted_at", Type: sdk.Time, Required: true},
			{Name: "edited_by", Type: sdk.String},
			{Name: "track_code", Type: sdk.String},
			{Name: "approved_by", Type: sdk.String},
			{Name: "approved_at", Type: sdk.Time},
			{Name: "number", Type: sdk.String},
			{Name: "year", Type: sdk.Int},
			{Name: "seq", Type: sdk.Int},
			{Name: "letter_date", Type: sdk.Date},
			{Name: "letter", Type: sdk.Object, Personal: true},
			{Name: "verify_code", Type: sdk.String},
			{Name: "rejected_by", Type: sdk.String},
			{Name: "rejected_at", Type: sdk.Time},
			{Name: "reject_reason", Type: sdk.String},
			{Name: "issued_by", Type: sdk.String},
			{Name: "issued_at", Type: sdk.Time},
			// service_days is derived when the letter is issued: the
			// working days (Monday to Friday) from submission to issue in
			// the village's calendar, which GET /performance counts by.
			{Name: "service_days", Type: sdk.Int},
			{Name: "revoked_by", Type: sdk.String},
			{Name: "revoked_at", Type: sdk.Time},
			{Name: "revoke_reason", Type: sdk.String},
		},
		Indexes: []sdk.Index{
			{Fields: []string{"ref"}, Unique: true},
			{Fields: []string{"state"}},
			{Fields: []string{"type"}},
			{Fields: []string{"nik"}},
			{Fields: []string{"submitted_at"}},
			// No number twice in a tenant, whatever the template says.
			{Fields: []string{"number"}, Unique: true},
			{Fields: []string{"year", "seq"}, Unique: true},
			{Fields: []string{"verify_code"}, Unique: true},
			{Fields: []string{"track_code"}, Unique: true},
		},
	}, {
		// counters hold the last letter number given per tenant and year.
		Name: "counters",
		Fields: []sdk.Field{
			{Name: "year", Type: sdk.Int, Required: true},
			{Name: "last", Type: sdk.Int, Required: true},
		},
		Indexes: []sdk.Index{{Fields: []string{"year"}, Unique: true}},
	}, {
		// online_waiting counts a resident's online requests waiting for
		// a decision (see waiting.go).
		Name:               "online_waiting",
		PersonalPermission: permPersonal,
		Fields: []sdk.Field{
			{Name: "nik", Type: sdk.String, Required: true, Personal: true},
			{Name: "waiting", Type: sdk.Int, Required: true},
		},
		Indexes: []sdk.Index{{Fields: []string{"nik"}, Unique: true}},
	}},
}

func main() { sdk.Serve(&plugin) }
