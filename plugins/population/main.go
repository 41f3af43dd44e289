// Command population is the civil register module: residents with their
// Dukcapil data, families (KK), and the checks that keep NIKs honest.
package main

import (
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

const (
	permRead     = "population.residents.read"
	permWrite    = "population.residents.write"
	permPersonal = "population.residents.read_personal"
	// permLookup finds residents by a full NIK or KK the caller already
	// holds (typed from the citizen's own KTP or family card), without
	// seeing other residents' numbers in full. Operators have it: who
	// registers residents can tell a registered NIK anyway (duplicate_nik).
	// Viewers have not: with a masked NIK, the birth date and the sex on
	// screen, a search would confirm a reconstructed NIK.
	permLookup = "population.residents.lookup"
)

// plugin is the population module: its manifest and its handlers.
var plugin = sdk.Plugin{
	ID: "population", Version: "0.1.0", Vendor: "Balai",
	Description: "Civil register: residents, families (KK), NIK checks",
	Permissions: []sdk.Permission{
		{Name: permRead, Description: "read residents (NIK and KK masked)", Roles: []string{"viewer", "operator"}},
		{Name: permWrite, Description: "register and update residents", Roles: []string{"operator"}},
		// The village operator sees the numbers she typed in full (issue 11
		// item 7); the host masks them for everyone else and audits every
		// read that shows them (population.personal.read).
		{Name: permPersonal, Description: "see full NIK, KK and mother's name (each read audited by the host)", Roles: []string{"operator"}},
		{Name: permLookup, Description: "find residents and families by a full NIK or KK (exact match, audited)", Roles: []string{"operator"}},
		// Issue 11 item 11: the regency's duplicate check (duplicates.go).
		{Name: permDuplicates, Description: "list residents registered twice across villages (same name, birth date, mother's name)", Roles: []string{"operator"}},
	},
	// Every write of residents and families (create, PATCH, import, every
	// life event) goes through villageOnly: a resident lives in a village,
	// and a sub-district or regency only reads the roll-up of its villages.
	Routes: []sdk.Route{
		{Method: "GET", Path: "/codes", Public: true, Handler: sdk.Func(func(r *http.Request) (int, any, error) { return 200, codeLists, nil })},
		// A citizen's identity check (NIK, KK, mother's name) for online
		// letter requests; public, slowed down per NIK and address.
		{Method: "POST", Path: "/verify", Public: true, MaxBodyBytes: 4 << 10, RateLimit: &sdk.RateLimit{Requests: 20, Window: 10 * time.Minute},
			Handler: sdk.Func(verifyResident)},
		{Method: "GET", Path: "/residents", Permission: permRead, Handler: sdk.Func(listResidents)},
		{Method: "POST", Path: "/residents", Permission: permWrite, Handler: sdk.Func(villageOnly(createResident))},
		{Method: "GET", Path: "/residents/{id}", Permission: permRead, Handler: sdk.Func(getResident)},
		{Method: "PATCH", Path: "/residents/{id}", Permission: permWrite, Handler: sdk.Func(villageOnly(patchResident))},
		{Method: "GET", Path: "/families/{kk}", Permission: permRead, Handler: sdk.Func(getFamily)},
		{Method: "GET", Path: "/residents/{id}/history", Permission: permRead, Handler: sdk.Func(getHistory)},
		// The recorded birth, death and move out that letters quote
		// (issue 11 item 6, lifeevents.go).
		{Method: "GET", Path: "/residents/{id}/life-events", Permission: permRead, Handler: sdk.Func(getLifeEvents)},
		{Method: "POST", Path: "/events", Permission: permWrite, Handler: sdk.Func(villageOnly(postEvent))},
		{Method: "GET", Path: "/stats", Public: true, Handler: sdk.Func(stats)},
		{Method: "GET", Path: "/performance", Permission: permRead, Handler: sdk.Func(getPerformance)},
		{Method: "GET", Path: "/count", Public: true, Handler: sdk.Func(count)},
		// The files villages hold (issue 11 items 8 and 9): import CSV or
		// .xlsx as ours, OpenSID's or SIAK's; export residents, families
		// and statistics as CSV or .xlsx (import.go, export.go).
		{Method: "POST", Path: "/import", Permission: permWrite, MaxBodyBytes: 1 << 30, Timeout: 15 * time.Minute,
			Handler: villageOnlyHTTP(importResidents)},
		// Identity and families (issue 11): a NIK for a temporary number,
		// a family's new head, a family split (pecah KK).
		{Method: "POST", Path: "/residents/{id}/nik", Permission: permWrite, Handler: sdk.Func(villageOnly(assignNIK))},
		{Method: "POST", Path: "/families/{kk}/head", Permission: permWrite, Handler: sdk.Func(villageOnly(changeHead))},
		{Method: "POST", Path: "/families/{kk}/split", Permission: permWrite, Handler: sdk.Func(villageOnly(splitFamily))},
		{Method: "GET", Path: "/import/rejects/{id}", Permission: permWrite, Handler: villageOnlyHTTP(getRejects)},
		{Method: "GET", Path: "/residents/export", Permission: permRead, Timeout: 15 * time.Minute, Handler: http.HandlerFunc(exportResidents)},
		{Method: "GET", Path: "/families/export", Permission: permRead, Timeout: 15 * time.Minute, Handler: http.HandlerFunc(exportFamilies)},
		{Method: "GET", Path: "/stats/export", Public: true, Handler: http.HandlerFunc(exportStats)},
		// Issue 11 items 10 and 11: the monthly report (reports.go; public
		// above a village like /stats) and the duplicate check (duplicates.go).
		{Method: "GET", Path: "/reports/monthly", Public: true, Handler: sdk.Func(monthlyReport)},
		{Method: "GET", Path: "/duplicates", Permission: permDuplicates, Timeout: 2 * time.Minute, Handler: sdk.Func(duplicates)},
		{Method: "POST", Path: "/duplicates/keys", Permission: permWrite, Timeout: 10 * time.Minute, Handler: sdk.Func(villageOnly(deriveKeys))},
	},
	// The screens of the console (issue 12): ui*.go.
	Pages:     pages,
	Publishes: publishes,
	Collections: []sdk.Collection{{
		Name: "residents",
		Fields: []sdk.Field{
			{Name: "nik", Type: sdk.String, Required: true, Personal: true},
			{Name: "kk", Type: sdk.String, Required: true, Personal: true},
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "sex", Type: sdk.String, Required: true},
			{Name: "birth_place", Type: sdk.String},
			{Name: "birth_date", Type: sdk.Date, Required: true},
			{Name: "religion", Type: sdk.String},
			{Name: "education", Type: sdk.String},
			{Name: "occupation", Type: sdk.String},
			{Name: "marital_status", Type: sdk.String},
			{Name: "relationship", Type: sdk.String},
			{Name: "blood_type", Type: sdk.String},
			{Name: "address", Type: sdk.String},
			{Name: "rt", Type: sdk.String},
			{Name: "rw", Type: sdk.String},
			{Name: "dusun", Type: sdk.String},
			{Name: "status", Type: sdk.String, Required: true},
			{Name: "birth_year", Type: sdk.Int},
			{Name: "mother_name", Type: sdk.String, Personal: true},
			// The KK of a living head of family, else null: one per
			// family (see Resident.HeadKK).
			{Name: "head_kk", Type: sdk.String, Personal: true},
			// A temporary number in nik (see IsTemporaryNIK), and what the
			// NIK and KK checks warn of ([{code, message}]).
			{Name: "nik_temporary", Type: sdk.Bool},
			{Name: "nik_warnings", Type: sdk.Object},
			// The duplicate check's key (dupKey, duplicates.go), derived by
			// Resident.validate; a hash of personal data, so personal too.
			{Name: "dup_key", Type: sdk.String, Personal: true},
		},
		PersonalPermission: permPersonal,
		Indexes: []sdk.Index{
			{Fields: []string{"nik"}, Unique: true, DeploymentWide: true},
			{Fields: []string{"head_kk"}, Unique: true},
			{Fields: []string{"kk"}},
			{Fields: []string{"name"}},
			{Fields: []string{"status"}},
			{Fields: []string{"dup_key"}},
		},
	}, {
		Name: "history",
		Fields: []sdk.Field{
			{Name: "nik", Type: sdk.String, Required: true, Personal: true},
			{Name: "type", Type: sdk.String, Required: true},
			{Name: "date", Type: sdk.Date, Required: true},
			{Name: "actor", Type: sdk.String},
			{Name: "detail", Type: sdk.Object},
		},
		Indexes:            []sdk.Index{{Fields: []string{"nik"}}},
		PersonalPermission: permPersonal,
	}, {
		// Identity checks of POST /verify, counted per NIK and client
		// address, and per NIK from all addresses (address "*"): see
		// verify.go. (It replaces verify_attempts, counted per NIK only.)
		Name: "verify_failures",
		Fields: []sdk.Field{
			{Name: "nik", Type: sdk.String, Required: true, Personal: true},
			{Name: "address", Type: sdk.String, Personal: true},
			{Name: "failures", Type: sdk.Int, Required: true},
			{Name: "since", Type: sdk.String, Required: true},
		},
		Indexes:            []sdk.Index{{Fields: []string{"nik", "address"}, Unique: true}},
		PersonalPermission: permPersonal,
	}, {
		// Stored files of an import's rejected rows (import.go), kept
		// rejectsKeptDays for the clerk to download and fix.
		Name: "import_rejects",
		Fields: []sdk.Field{
			{Name: "file_id", Type: sdk.String, Required: true},
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "format", Type: sdk.String, Required: true},
			{Name: "rows", Type: sdk.Int, Required: true},
			{Name: "expires", Type: sdk.Date, Required: true},
		},
		Indexes: []sdk.Index{{Fields: []string{"file_id"}, Unique: true}, {Fields: []string{"expires"}}},
	},
		vitalEvents, // the monthly report's life events (reports.go)
	},
}

func main() { sdk.Serve(&plugin) }
